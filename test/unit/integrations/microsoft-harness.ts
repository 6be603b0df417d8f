import { randomUUID } from 'node:crypto';
import type { CallContext } from '../../../src/core/relationships/partner-center.port.ts';
import { createMicrosoftClients, type MicrosoftClientOptions, type MicrosoftClients } from '../../../src/integrations/microsoft-clients.ts';
import { createRefreshTokenStore } from '../../../src/integrations/partner-center/refresh-token.store.ts';
import { simulatorClientTarget } from '../../../src/partner-center-setup.ts';
import { SIMULATOR_REFRESH_TOKEN } from '../../../src/simulator/defaults.ts';
import { createPartnerCenterSimulator, type PartnerCenterSimulator, type PartnerCenterSimulatorOptions } from '../../../src/simulator/simulator.ts';
import type { Store } from '../../../src/core/ports.ts';
import { createStore } from '../../../src/store/create-store.ts';
import { captureLog, type CapturedLog } from '../../support/log-capture.ts';
import { FAST_RETRY, TEST_SECRETS_KEY } from './partner-center/harness.ts';

export interface MicrosoftHarness {
  simulator: PartnerCenterSimulator;
  store: Store;
  clients: MicrosoftClients;
  captured: CapturedLog;
  context(): CallContext;
  close(): Promise<void>;
}

/** Every Microsoft client, built the way the bot builds them, against the real simulator on loopback. */
export async function startMicrosoftHarness(options: { simulator?: PartnerCenterSimulatorOptions; client?: Partial<MicrosoftClientOptions> } = {}): Promise<MicrosoftHarness> {
  const simulator = createPartnerCenterSimulator(options.simulator);
  await simulator.start();
  const store = await createStore('sqlite://:memory:');
  const captured = captureLog();
  const clients = createMicrosoftClients({
    ...simulatorClientTarget(simulator.url),
    refreshTokens: createRefreshTokenStore({ store, secretsKey: TEST_SECRETS_KEY, initial: SIMULATOR_REFRESH_TOKEN }),
    log: captured.log,
    timeoutMs: 2_000,
    retry: FAST_RETRY,
    circuit: { consecutiveFailures: 1_000, halfOpenAfterMs: 30_000 },
    ...options.client,
  });
  return {
    simulator,
    store,
    clients,
    captured,
    context: () => ({ locale: 'en', correlationId: randomUUID() }),
    async close() {
      await simulator.stop();
      await store.close();
    },
  };
}

export function graphRequests(simulator: PartnerCenterSimulator) {
  return simulator.controls.requests.filter((request) => request.path.startsWith('/v1.0/'));
}
