/** The key-value half of every store: keyv, one instance per namespace, behind the small KeyValue port. */
import type { Keyv } from 'keyv';
import type { KeyValue } from '../core/ports.ts';
import { toTtlMs } from './store-support.ts';

export type NamespaceFactory = <T = unknown>(name: string) => KeyValue<T>;

/**
 * Caches one Keyv per namespace: each Keyv registers listeners on the shared adapter or client, so a
 * fresh one per call would leak them. Names are checked because they become key prefixes.
 */
export function createNamespaces(createKeyv: (name: string) => Keyv, assertOpen: () => void): NamespaceFactory {
  const cache = new Map<string, KeyValue<unknown>>();
  return <T = unknown>(name: string): KeyValue<T> => {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
      throw new RangeError(`Invalid store namespace "${name}": use letters, digits, ".", "_" or "-" (at most 64).`);
    }
    let keyValue = cache.get(name);
    if (!keyValue) {
      keyValue = toKeyValue(createKeyv(name), assertOpen);
      cache.set(name, keyValue);
    }
    return keyValue as KeyValue<T>;
  };
}

function toKeyValue<T>(keyv: Keyv, assertOpen: () => void): KeyValue<T> {
  // keyv swallows store errors and answers "missing" by default; an outage must surface instead.
  keyv.throwOnErrors = true;
  return {
    async get(key) {
      assertOpen();
      return keyv.get<T>(key);
    },
    async set(key, value, ttlMs) {
      assertOpen();
      const stored = await keyv.set(key, value, ttlMs === undefined ? undefined : toTtlMs(ttlMs));
      if (!stored) throw new Error(`keyv did not store "${key}"`);
    },
    async delete(key) {
      assertOpen();
      return keyv.delete(key);
    },
  };
}
