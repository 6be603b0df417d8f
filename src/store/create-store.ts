/** Chooses the store backend from the URL scheme; the only entry point the composition root needs. */
import { AppError } from '../core/errors.ts';
import type { Clock } from '../core/ports.ts';
import type { BotStore } from './bot-store.ts';
import { DEFAULT_PREFIX, assertPrefix, type BackendOptions } from './store-support.ts';

export interface StoreOptions {
  /** Time for claim and lease expiry on SQLite and PostgreSQL (Redis expires keys server-side). */
  clock?: Clock;
  /** Namespaces Redis keys (`<prefix>:`) and tables (`<prefix>_claims`, …); default `prb`. Tests pass a unique one. */
  prefix?: string;
  /** Work the store does on its own (SQLite's WAL checkpoints) failed; the store carries on. */
  onBackgroundError?: (error: Error) => void;
}

export const SUPPORTED_STORE_SCHEMES = ['sqlite', 'redis', 'rediss', 'postgres', 'postgresql'] as const;

/**
 * Connects, creates missing tables and resolves with a ready BotStore (the Store plus `events` and
 * `outbox`); rejects within seconds when the backend cannot be reached. Messages never contain the
 * URL's credentials.
 */
export async function createStore(url: string, options: StoreOptions = {}): Promise<BotStore> {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  assertPrefix(prefix);
  const { clock } = options;
  const backend: BackendOptions = { prefix, now: () => clock?.now() ?? Date.now(), onBackgroundError: options.onBackgroundError };
  // Only the chosen backend's driver is loaded (the others cost start-up time and are not needed).
  switch (toScheme(url)) {
    case 'sqlite':
      return (await import('./sqlite.store.ts')).createSqliteStore(url.slice('sqlite://'.length), backend);
    case 'redis':
    case 'rediss':
      return (await import('./redis.store.ts')).createRedisStore(url, backend);
    case 'postgres':
    case 'postgresql':
      return (await import('./postgres.store.ts')).createPostgresStore(url, backend);
  }
}

function toScheme(url: string): (typeof SUPPORTED_STORE_SCHEMES)[number] {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  const supported: readonly string[] = SUPPORTED_STORE_SCHEMES;
  if (scheme && supported.includes(scheme)) return scheme as (typeof SUPPORTED_STORE_SCHEMES)[number];
  // Only the scheme is echoed: the rest of the URL may carry a password.
  const found = scheme ? `"${scheme}://"` : 'a URL without a scheme';
  const allowed = SUPPORTED_STORE_SCHEMES.map((name) => `${name}://`).join(', ');
  throw new AppError('STORE.UNSUPPORTED_URL', { expected: false, message: `Unsupported store URL: got ${found}; use one of ${allowed}.` });
}
