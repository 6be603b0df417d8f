import type { Config } from './config.ts';
import type { PartnerDirectory } from './core/events/directory.port.ts';
import type { Store } from './core/ports.ts';
import type { PartnerCenter } from './core/relationships/partner-center.port.ts';
import { createMicrosoftClients } from './integrations/microsoft-clients.ts';
import type { PartnerCenterClientOptions } from './integrations/partner-center/partner-center.client.ts';
import { createRefreshTokenStore } from './integrations/partner-center/refresh-token.store.ts';
import type { WebhookRegistrationClient } from './integrations/partner-center/webhook-registration.client.ts';
import type { Logger } from './logger.ts';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID, SIMULATOR_REFRESH_TOKEN } from './simulator/defaults.ts';
import { startSimulator, type PartnerCenterSimulator } from './simulator/simulator.ts';

export interface PartnerCenterSetup {
  /** The PartnerCenter port (invitations). */
  partnerCenter: PartnerCenter;
  /** The PartnerDirectory port (enrichment and reconciliation: customers, GDAP, audit records). */
  directory: PartnerDirectory;
  /** Partner Center's webhook registration API (local mode registers the bot with the simulator through it). */
  webhookRegistration: WebhookRegistrationClient;
  /** Local mode only: the simulator the clients talk to. */
  simulator?: PartnerCenterSimulator;
}

/** Timing knobs tests turn down (timeouts, retry budget); production uses the clients' defaults. */
export type PartnerCenterTuning = Pick<PartnerCenterClientOptions, 'timeoutMs' | 'retry' | 'circuit'>;

/**
 * Live mode talks to Microsoft; local mode starts the simulator on loopback and uses the same client
 * code against it: only the URLs and credentials differ.
 */
export async function setUpPartnerCenter(config: Readonly<Config>, store: Store, log: Logger, tuning: PartnerCenterTuning = {}): Promise<PartnerCenterSetup> {
  if (config.mode === 'live') {
    const clients = createMicrosoftClients({
      apiUrl: config.PARTNER_CENTER_API_URL,
      graphUrl: config.GRAPH_API_URL,
      authorityUrl: config.ENTRA_AUTHORITY_URL,
      tenantId: config.PARTNER_TENANT_ID ?? '',
      clientId: config.PARTNER_CENTER_CLIENT_ID ?? '',
      clientSecret: config.PARTNER_CENTER_CLIENT_SECRET ?? '',
      refreshTokens: createRefreshTokenStore({ store, secretsKey: config.SECRETS_KEY, initial: config.PARTNER_CENTER_REFRESH_TOKEN }),
      log,
      ...tuning,
    });
    return { partnerCenter: clients.partnerCenter, directory: clients.directory, webhookRegistration: clients.webhookRegistration };
  }
  const simulator = await startSimulator({ port: 0, host: '127.0.0.1' });
  const clients = createMicrosoftClients({
    apiUrl: simulator.url,
    graphUrl: simulator.url,
    authorityUrl: simulator.url,
    tenantId: SIMULATOR_PARTNER_TENANT_ID,
    clientId: SIMULATOR_CLIENT_ID,
    clientSecret: SIMULATOR_CLIENT_SECRET,
    refreshTokens: createRefreshTokenStore({ store, secretsKey: config.SECRETS_KEY, initial: SIMULATOR_REFRESH_TOKEN, allowUnencrypted: true }),
    log,
    ...tuning,
  });
  return { partnerCenter: clients.partnerCenter, directory: clients.directory, webhookRegistration: clients.webhookRegistration, simulator };
}
