/** Small pieces every store backend shares: option checks, the closed guard and time limits. */
import { AppError } from '../core/errors.ts';

/** Prefix of every Redis key (`prb:`) and every table (`prb_`) unless a caller isolates itself with another. */
export const DEFAULT_PREFIX = 'prb';

/** Long enough for a loaded server, short enough that start-up and /readyz fail fast on a dead one. */
export const CONNECT_TIMEOUT_MS = 3000;
export const PING_TIMEOUT_MS = 2000;

/** What a backend needs besides its connection string; resolved once by createStore. */
export interface BackendOptions {
  now: () => number;
  prefix: string;
  /** Work the store does on its own (SQLite's WAL checkpoints) failed; the store carries on. */
  onBackgroundError?: (error: Error) => void;
}

/** The prefix ends up inside SQL identifiers, so only identifier characters are allowed. */
/** A store prefix ends up inside SQL identifiers and Redis keys (config.ts checks STORE_PREFIX with it too). */
export const STORE_PREFIX_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

export function assertPrefix(prefix: string): void {
  if (!STORE_PREFIX_PATTERN.test(prefix)) {
    throw new AppError('STORE.BAD_PREFIX', {
      expected: false,
      message: 'Store prefix must start with a letter and contain only letters, digits and underscores (at most 40).',
    });
  }
}

/** Redis rejects PX 0 and fractional PX; SQL would store a lease that is born expired. */
export function toTtlMs(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}

/** Tracks whether close() was called so later calls fail clearly instead of silently reconnecting. */
export interface ClosedGuard {
  assertOpen(): void;
  /** Runs `closeConnections` once; later calls return the same promise. */
  close(closeConnections: () => Promise<void>): Promise<void>;
}

export function createClosedGuard(backend: string): ClosedGuard {
  let closing: Promise<void> | undefined;
  return {
    assertOpen() {
      if (closing) throw new AppError('STORE.CLOSED', { expected: false, message: `The ${backend} store is closed.` });
    },
    close(closeConnections) {
      closing ??= closeConnections();
      return closing;
    },
  };
}

/** Rejects when `promise` has not settled within `ms`, so a half-open connection cannot hang a caller. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('STORE.TIMEOUT', { expected: false, message: `${what} timed out after ${ms} ms` })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The URL as operators may see it in logs: scheme, host, port and path, never credentials. */
export function toSafeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username) parsed.username = '***';
    if (parsed.password) parsed.password = '***';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return `${url.split(':')[0] ?? ''}:…`;
  }
}

/** Wraps a failed connection attempt with the (redacted) URL so the start-up error says what was tried. */
export function toUnreachableError(url: string, cause: unknown): AppError {
  const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
  return new AppError('STORE.UNREACHABLE', {
    expected: false,
    cause,
    message: `Could not connect to the store at ${toSafeUrl(url)}: ${reason}`,
  });
}
