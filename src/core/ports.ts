/** Small interfaces the core needs from the outside world. Implementations live in the edges. */

export interface Clock {
  now(): number;
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** A key-value map inside one namespace of the store. Values are JSON-serialisable. */
export interface KeyValue<T = unknown> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/** A held lease. `token` grows by one every time the lease changes hands (a fencing token). */
export interface Lease {
  name: string;
  owner: string;
  token: number;
  expiresAt: number;
}

export interface Store {
  namespace<T = unknown>(name: string): KeyValue<T>;
  /** True for exactly one caller per key until `ttlMs` has passed (deduplication). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Takes the lease when it is free or expired, or extends it when `owner` already holds it. */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<Lease | null>;
  /** Extends a lease still held with the same token; null when it was lost. */
  renewLease(lease: Lease, ttlMs: number): Promise<Lease | null>;
  releaseLease(lease: Lease): Promise<void>;
  /** Resolves when the backend answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
