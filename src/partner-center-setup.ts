import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import type { PartnerDirectory } from './core/events/directory.port.ts';
import type { Store } from './core/ports.ts';
import type { PartnerCenter } from './core/relationships/partner-center.port.ts';
import type { GdapAdmin } from './core/restoration/gdap.port.ts';
import { createMicrosoftClients } from './integrations/microsoft-clients.ts';
import type { PartnerCenterClientOptions } from './integrations/partner-center/partner-center.client.ts';
import { createRefreshTokenStore } from './integrations/partner-center/refresh-token.store.ts';
import { registerWebhook, toWebhookUrl } from './integrations/partner-center/register-webhook.ts';
import type { WebhookRegistrationClient } from './integrations/partner-center/webhook-registration.client.ts';
import type { Logger } from './logger.ts';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID, SIMULATOR_REFRESH_TOKEN } from './simulator/defaults.ts';
import { removeLocalModeFile, writeLocalModeFile } from './simulator/local-mode-file.ts';
import { startSimulator, type PartnerCenterSimulator } from './simulator/simulator.ts';

export interface PartnerCenterSetup {
  /** The PartnerCenter port (invitations). */
  partnerCenter: PartnerCenter;
  /** The PartnerDirectory port (enrichment and reconciliation: customers, GDAP, audit records). */
  directory: PartnerDirectory;
  /** The GdapAdmin port (Graph: request, lock, assign and terminate GDAP relationships). */
  gdapAdmin: GdapAdmin;
  /** Partner Center's webhook registration API (local mode registers the bot with the simulator through it). */
  webhookRegistration: WebhookRegistrationClient;
  /** Local mode only: the simulator this process started (none with SIMULATOR_URL). */
  simulator?: PartnerCenterSimulator;
  /** Local mode only: where the simulator the clients talk to listens (its own or SIMULATOR_URL). */
  simulatorUrl?: string;
  /**
   * Call once the bot listens. Local mode: registers the bot's webhook with the simulator and writes
   * LOCAL_MODE_FILE for `npm run simulate`; live mode: nothing. Close the handle on stop.
   */
  announceLocalMode(botUrl: string, webhookToken: string): Promise<LocalModeHandle>;
}

export interface LocalModeHandle {
  /** Removes LOCAL_MODE_FILE (if it is still this bot's). */
  close(): Promise<void>;
}

const NOTHING_TO_CLOSE: LocalModeHandle = { close: async () => undefined };

/** Timing knobs tests turn down (timeouts, retry budget); production uses the clients' defaults. */
export type PartnerCenterTuning = Pick<PartnerCenterClientOptions, 'timeoutMs' | 'retry' | 'circuit'>;

/** Where the live clients go and who they are, from the configuration. */
export function liveClientTarget(config: Readonly<Config>) {
  return {
    apiUrl: config.PARTNER_CENTER_API_URL,
    graphUrl: config.GRAPH_API_URL,
    authorityUrl: config.ENTRA_AUTHORITY_URL,
    tenantId: config.PARTNER_TENANT_ID ?? '',
    clientId: config.PARTNER_CENTER_CLIENT_ID ?? '',
    clientSecret: config.PARTNER_CENTER_CLIENT_SECRET ?? '',
  };
}

/** The same for the simulator: every service at its URL, with its built-in credentials. */
export function simulatorClientTarget(simulatorUrl: string) {
  return {
    apiUrl: simulatorUrl,
    graphUrl: simulatorUrl,
    authorityUrl: simulatorUrl,
    tenantId: SIMULATOR_PARTNER_TENANT_ID,
    clientId: SIMULATOR_CLIENT_ID,
    clientSecret: SIMULATOR_CLIENT_SECRET,
  };
}

/**
 * Live mode talks to Microsoft; local mode starts the simulator on loopback and uses the same client
 * code against it: only the URLs and credentials differ.
 */
export async function setUpPartnerCenter(config: Readonly<Config>, store: Store, log: Logger, tuning: PartnerCenterTuning = {}): Promise<PartnerCenterSetup> {
  if (config.mode === 'live') {
    const clients = createMicrosoftClients({
      ...liveClientTarget(config),
      refreshTokens: createRefreshTokenStore({ store, secretsKey: config.SECRETS_KEY, initial: config.PARTNER_CENTER_REFRESH_TOKEN }),
      log,
      ...tuning,
    });
    return { partnerCenter: clients.partnerCenter, directory: clients.directory, gdapAdmin: clients.gdapAdmin, webhookRegistration: clients.webhookRegistration, announceLocalMode: async () => NOTHING_TO_CLOSE };
  }
  // SIMULATOR_URL: replicas share one simulator (npm run simulator); otherwise this process starts its own.
  const simulator = config.SIMULATOR_URL ? undefined : await startSimulator({ port: 0, host: '127.0.0.1' });
  const simulatorUrl = config.SIMULATOR_URL ?? simulator?.url ?? '';
  const clients = createMicrosoftClients({
    ...simulatorClientTarget(simulatorUrl),
    refreshTokens: createRefreshTokenStore({ store, secretsKey: config.SECRETS_KEY, initial: SIMULATOR_REFRESH_TOKEN, allowUnencrypted: true }),
    log,
    ...tuning,
  });
  const setup = { partnerCenter: clients.partnerCenter, directory: clients.directory, gdapAdmin: clients.gdapAdmin, webhookRegistration: clients.webhookRegistration, simulator, simulatorUrl };
  return {
    ...setup,
    announceLocalMode: (botUrl, webhookToken) =>
      announceLocalMode(setup, { botUrl: config.SIMULATOR_URL && config.PUBLIC_URL ? config.PUBLIC_URL : botUrl, webhookToken, file: config.LOCAL_MODE_FILE, log }),
  };
}

export interface LocalModeAnnouncement {
  botUrl: string;
  webhookToken: string;
  /** LOCAL_MODE_FILE */
  file: string;
  log: Logger;
}

/**
 * Local mode, once the bot listens: registers `{botUrl}/api/partner-center/webhook?token=…` with the
 * simulator through the same code `npm run webhooks:register` uses, then writes the file `npm run simulate`
 * reads. A failed registration is logged and start-up goes on (scenarios then report "not delivered").
 */
export async function announceLocalMode(target: Pick<PartnerCenterSetup, 'simulator' | 'simulatorUrl' | 'webhookRegistration'>, options: LocalModeAnnouncement): Promise<LocalModeHandle> {
  const { simulator } = target;
  if (!(target.simulatorUrl ?? simulator?.url)) return NOTHING_TO_CLOSE;
  const log = options.log.child({ integration: 'local-mode' });
  try {
    const registered = await registerWebhook(target.webhookRegistration, toWebhookUrl(options.botUrl, options.webhookToken), { locale: 'en', correlationId: randomUUID() });
    log.info({ events: registered.events.length, action: registered.action }, 'webhook registered with the simulator');
  } catch (error) {
    log.warn({ err: error }, 'could not register the webhook with the simulator; npm run simulate will report events as not delivered');
  }
  // A shared simulator (SIMULATOR_URL) keeps its control token to itself: npm run simulator prints it.
  if (!simulator) return NOTHING_TO_CLOSE;
  const controlToken = simulator.controlToken;
  try {
    writeLocalModeFile(options.file, { simulatorUrl: simulator.url, controlToken, botUrl: options.botUrl, pid: process.pid });
  } catch (error) {
    log.warn({ err: error, file: options.file }, 'could not write the local mode file; npm run simulate will not find this bot');
    return NOTHING_TO_CLOSE;
  }
  return { close: async () => removeLocalModeFile(options.file, controlToken) };
}
