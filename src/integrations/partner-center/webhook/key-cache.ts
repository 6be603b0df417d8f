/**
 * Parsed signing keys per certificate URL. Parsing and chain checks cost far more than the RSA verify
 * itself (≈6k/s against ≈40k/s), so a key is reused for hours, but never past its certificate's
 * validTo. Bounded LRU, because the URL (within the allowed prefixes) is chosen by the sender.
 */
import type { KeyObject } from 'node:crypto';

export interface CachedKey {
  publicKey: KeyObject;
  validFrom: number;
  /** min(cached at + TTL, certificate validTo). */
  usableUntil: number;
}

export interface KeyCache {
  get(url: string, now: number): KeyObject | undefined;
  set(url: string, entry: CachedKey): void;
  readonly size: number;
}

export function createKeyCache(maxEntries: number): KeyCache {
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const entries = new Map<string, CachedKey>();
  return {
    get(url, now) {
      const entry = entries.get(url);
      if (!entry) return undefined;
      entries.delete(url);
      // A clock before validFrom (tests, or a stepped clock) must not revive a key either.
      if (now > entry.usableUntil || now < entry.validFrom) return undefined;
      entries.set(url, entry);
      return entry.publicKey;
    },
    set(url, entry) {
      entries.delete(url);
      entries.set(url, entry);
      while (entries.size > Math.max(1, maxEntries)) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
