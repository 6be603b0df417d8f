import type { Store } from '../ports.ts';
import { withLease } from '../with-lease.ts';
import { OPEN_STEPS, type Restoration } from './restoration.ts';

export interface RestorationStore {
  get(customerId: string): Promise<Restoration | undefined>;
  /**
   * Reads, changes and saves one customer's playbook under a lease, so a button click, an approval event
   * and the reminder timer on different replicas never overwrite each other. `change` returns the new
   * state (or the same object for "nothing to do", which writes nothing).
   */
  update(customerId: string, change: (current: Restoration | undefined) => Restoration | undefined | Promise<Restoration | undefined>): Promise<Restoration | undefined>;
  /** Customer ids of every playbook still open (for the reminder timer and `pending`). */
  listOpen(): Promise<string[]>;
}

const OPEN_INDEX = 'open';

export function createRestorationStore(store: Store): RestorationStore {
  const states = store.namespace<Restoration>('restorations');
  const index = store.namespace<string[]>('restorations-index');

  async function reindex(customerId: string, open: boolean): Promise<void> {
    await withLease(store, 'restorations-index', async () => {
      const ids = new Set((await index.get(OPEN_INDEX)) ?? []);
      if (open === ids.has(customerId)) return;
      if (open) ids.add(customerId);
      else ids.delete(customerId);
      await index.set(OPEN_INDEX, [...ids]);
    });
  }

  return {
    get: (customerId) => states.get(customerId.toLowerCase()),
    async update(customerId, change) {
      const key = customerId.toLowerCase();
      const next = await withLease(store, `restoration:${key}`, async () => {
        const current = await states.get(key);
        const changed = await change(current);
        if (!changed || changed === current) return current;
        await states.set(key, changed);
        return changed;
      }, 30_000);
      if (next) await reindex(key, OPEN_STEPS.has(next.step));
      return next;
    },
    listOpen: async () => (await index.get(OPEN_INDEX)) ?? [],
  };
}
