import type { Config } from './config.ts';
import type { Store } from './core/ports.ts';
import type { PartnerCenter } from './core/relationships/partner-center.port.ts';
import { createPartnerCenterClient, type PartnerCenterClientOptions } from './integrations/partner-center/partner-center.client.ts';
import { createRefreshTokenStore } from './integrations/partner-center/refresh-token.store.ts';
import type { Logger } from './logger.ts';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID, SIMULATOR_REFRESH_TOKEN } from './simulator/defaults.ts';
import { startSimulator, type PartnerCenterSimulator } from './simulator/simulator.ts';

export interface PartnerCenterSetup {
  partnerCenter: PartnerCenter;
  /** Local mode only: the simulator the client talks to. */
  simulator?: PartnerCenterSimulator;
}

/**
 * Live mode talks to Microsoft; local mode starts the simulator on loopback and uses the same client
 * code against it: only the URLs and credentials differ.
 */
/** Timing knobs tests turn down (timeouts, retry budget); production uses the client's defaults. */
export type PartnerCenterTuning = Pick<PartnerCenterClientOptions, 'timeoutMs' | 'retry' | 'circuit'>;

export async function setUpPartnerCenter(config: Readonly<Config>, store: Store, log: Logger, tuning: PartnerCenterTuning = {}): Promise<PartnerCenterSetup> {
  const pcLog = log.child({ integration: 'partner-center' });
  if (config.mode === 'live') {
    const refreshTokens = createRefreshTokenStore({ store, secretsKey: config.SECRETS_KEY, initial: config.PARTNER_CENTER_REFRESH_TOKEN });
    const partnerCenter = createPartnerCenterClient({
      apiUrl: config.PARTNER_CENTER_API_URL,
      authorityUrl: config.ENTRA_AUTHORITY_URL,
      tenantId: config.PARTNER_TENANT_ID ?? '',
      clientId: config.PARTNER_CENTER_CLIENT_ID ?? '',
      clientSecret: config.PARTNER_CENTER_CLIENT_SECRET ?? '',
      refreshTokens,
      log: pcLog,
      ...tuning,
    });
    return { partnerCenter };
  }
  const simulator = await startSimulator({ port: 0, host: '127.0.0.1' });
  const refreshTokens = createRefreshTokenStore({ store, secretsKey: config.SECRETS_KEY, initial: SIMULATOR_REFRESH_TOKEN, allowUnencrypted: true });
  const partnerCenter = createPartnerCenterClient({
    apiUrl: simulator.url,
    authorityUrl: simulator.url,
    tenantId: SIMULATOR_PARTNER_TENANT_ID,
    clientId: SIMULATOR_CLIENT_ID,
    clientSecret: SIMULATOR_CLIENT_SECRET,
    refreshTokens,
    log: pcLog,
    ...tuning,
  });
  return { partnerCenter, simulator };
}
