import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Locale } from '../../../../src/core/chat.ts';
import { AppError } from '../../../../src/core/errors.ts';
import type { Clock, Store } from '../../../../src/core/ports.ts';
import type { CallContext, PartnerCenter } from '../../../../src/core/relationships/partner-center.port.ts';
import { createPartnerCenterClient, type PartnerCenterClientOptions } from '../../../../src/integrations/partner-center/partner-center.client.ts';
import { createRefreshTokenStore, type RefreshTokenStore } from '../../../../src/integrations/partner-center/refresh-token.store.ts';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID, SIMULATOR_REFRESH_TOKEN } from '../../../../src/simulator/defaults.ts';
import { createPartnerCenterSimulator, type PartnerCenterSimulator, type PartnerCenterSimulatorOptions } from '../../../../src/simulator/simulator.ts';
import { createStore } from '../../../../src/store/create-store.ts';
import { captureLog, type CapturedLog } from '../../../support/log-capture.ts';

export const TEST_SECRETS_KEY = 'test-secrets-key-for-the-refresh-token';

export interface Harness {
  simulator: PartnerCenterSimulator;
  store: Store;
  refreshTokens: RefreshTokenStore;
  client: PartnerCenter;
  captured: CapturedLog;
  /** Builds another client on the same simulator and store (e.g. "after a restart"). */
  createClient(overrides?: Partial<PartnerCenterClientOptions>): PartnerCenter;
  context(locale?: Locale): CallContext;
  close(): Promise<void>;
}

export interface HarnessOptions {
  simulator?: PartnerCenterSimulatorOptions;
  client?: Partial<PartnerCenterClientOptions>;
  /** The configured refresh token; `null` for none at all. */
  initialRefreshToken?: string | null;
  clock?: Clock;
}

/** Fast retries and a breaker that stays out of the way unless a test turns it up. */
export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 80, budgetMs: 3_000 };

/** The real client against the real simulator on loopback, with a real (in-memory SQLite) store and a captured log. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const simulator = createPartnerCenterSimulator({ ...options.simulator, ...(options.clock ? { clock: options.clock } : {}) });
  await simulator.start();
  const store = await createStore('sqlite://:memory:');
  const initial = options.initialRefreshToken === null ? undefined : (options.initialRefreshToken ?? SIMULATOR_REFRESH_TOKEN);
  const refreshTokens = createRefreshTokenStore({ store, secretsKey: TEST_SECRETS_KEY, ...(initial ? { initial } : {}) });
  const captured = captureLog();
  const createClient = (overrides: Partial<PartnerCenterClientOptions> = {}) =>
    createPartnerCenterClient({
      apiUrl: simulator.url,
      authorityUrl: simulator.url,
      tenantId: SIMULATOR_PARTNER_TENANT_ID,
      clientId: SIMULATOR_CLIENT_ID,
      clientSecret: SIMULATOR_CLIENT_SECRET,
      refreshTokens,
      log: captured.log,
      timeoutMs: 2_000,
      retry: FAST_RETRY,
      circuit: { consecutiveFailures: 1_000, halfOpenAfterMs: 30_000 },
      ...(options.clock ? { clock: options.clock } : {}),
      ...options.client,
      ...overrides,
    });
  return {
    simulator,
    store,
    refreshTokens,
    client: createClient(),
    captured,
    createClient,
    context: (locale = 'en') => ({ locale, correlationId: randomUUID() }),
    async close() {
      await simulator.stop();
      await store.close();
    },
  };
}

/** Awaits `promise`, asserts it failed with an AppError of `code`, and returns that error. */
export async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    return error;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

/** Partner Center requests only (the token endpoint lives on the same simulator). */
export function partnerCenterRequests(simulator: PartnerCenterSimulator) {
  return simulator.controls.requests.filter((request) => request.path.startsWith('/v1/'));
}

export function tokenRequests(simulator: PartnerCenterSimulator) {
  return simulator.controls.requests.filter((request) => request.path.endsWith('/oauth2/v2.0/token'));
}

export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}
