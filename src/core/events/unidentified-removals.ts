import type { Store } from '../ports.ts';
import { withLease } from '../with-lease.ts';

/** A "your admin rights were removed" event that named no customer, waiting for reconciliation to name it. */
export interface UnidentifiedRemoval {
  eventId: string;
  kind: 'admin-removed' | 'admin-removed-by-microsoft';
  /** When Partner Center says it happened (ISO-8601), to match it with an audit record. */
  at: string;
}

export interface UnidentifiedRemovals {
  add(removal: UnidentifiedRemoval): Promise<void>;
  /** Oldest first. */
  list(): Promise<UnidentifiedRemoval[]>;
  remove(eventId: string): Promise<void>;
}

const KEY = 'open';
const LEASE = 'unidentified-removals';
/** Not identified within this long: the card stays "identifying" and the entry is dropped. */
export const IDENTIFY_WITHIN_MS = 7 * 24 * 60 * 60_000;

export function createUnidentifiedRemovals(store: Store, now: () => number = Date.now): UnidentifiedRemovals {
  const entries = store.namespace<UnidentifiedRemoval[]>('unidentified-removals');
  const fresh = (list: UnidentifiedRemoval[]) => list.filter((entry) => now() - Date.parse(entry.at) < IDENTIFY_WITHIN_MS);
  const change = (update: (list: UnidentifiedRemoval[]) => UnidentifiedRemoval[]) =>
    withLease(store, LEASE, async () => entries.set(KEY, fresh(update((await entries.get(KEY)) ?? []))));
  return {
    add: (removal) => change((list) => [...list.filter((entry) => entry.eventId !== removal.eventId), removal].sort((a, b) => a.at.localeCompare(b.at))),
    list: async () => fresh((await entries.get(KEY)) ?? []),
    remove: (eventId) => change((list) => list.filter((entry) => entry.eventId !== eventId)),
  };
}
