import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '../events/partner-center-event.ts';
import type { Store } from '../ports.ts';
import { withLease } from '../with-lease.ts';

/** One thing that happened to a customer, as the bot learned it. */
export interface CustomerHistoryEntry {
  eventId: string;
  kind: string;
  at: string;
  /** `chat`: something someone did through the bot that Partner Center sends no event for. */
  source: 'webhook' | 'reconciliation' | 'chat';
  /** Who did it (chat entries only). */
  by?: string;
  /** `gdap-expiring`: the days left when it was said. */
  days?: number;
}

/** A customer the partner has no admin access to since `since` (a removal, an ended GDAP relationship). */
export interface WithoutAccess {
  customerId: string;
  name?: string;
  kind: string;
  since: string;
}

export interface CustomerLedger {
  /** Adds a recorded event to its customer's history and keeps the "without admin access" list current. */
  note(event: DomainEvent, eventId: string): Promise<void>;
  history(customerId: string): Promise<CustomerHistoryEntry[]>;
  /** Adds what someone did in chat (enabling auto-extend) to the customer's history. */
  noteAction(customerId: string, kind: string, by: string, at: string): Promise<void>;
  /** Oldest first. */
  withoutAccess(): Promise<WithoutAccess[]>;
}

const HISTORY_LIMIT = 100;
const LOSS = new Set(['admin-removed', 'admin-removed-by-microsoft', 'gdap-terminated', 'gdap-expired']);
const REGAIN = new Set(['admin-approved', 'gdap-approved', 'gdap-activated', 'access-restored']);

/** What `status` and `pending` read: per-customer history and the customers without admin access. */
export function createCustomerLedger(store: Store): CustomerLedger {
  const histories = store.namespace<CustomerHistoryEntry[]>('customer-history');
  const access = store.namespace<WithoutAccess[]>('customers-without-access');

  async function updateAccess(event: DomainEvent, customerId: string, at: string): Promise<void> {
    if (!LOSS.has(event.kind) && !REGAIN.has(event.kind)) return;
    await withLease(store, 'customers-without-access', async () => {
      const list = ((await access.get('all')) ?? []).filter((entry) => entry.customerId !== customerId);
      if (LOSS.has(event.kind)) list.push({ customerId, name: event.customer?.name, kind: event.kind, since: at });
      await access.set('all', list.sort((a, b) => a.since.localeCompare(b.since)));
    });
  }

  async function append(customerId: string, entry: CustomerHistoryEntry): Promise<void> {
    await withLease(store, `customer-history:${customerId}`, async () => {
      const list = (await histories.get(customerId)) ?? [];
      if (list.some((each) => each.eventId === entry.eventId)) return;
      list.push(entry);
      await histories.set(customerId, list.sort((a, b) => a.at.localeCompare(b.at)).slice(-HISTORY_LIMIT));
    });
  }

  return {
    async note(event, eventId) {
      const customerId = event.customer?.id ?? event.customerId;
      if (!customerId) return;
      const at = event.changedAt ?? new Date().toISOString();
      const days = event.expiresInDays !== undefined ? { days: event.expiresInDays } : {};
      await append(customerId, { eventId, kind: event.kind, at, source: event.source ?? 'webhook', ...days });
      await updateAccess(event, customerId, at);
    },
    async noteAction(customerId, kind, by, at) {
      await append(customerId.toLowerCase(), { eventId: randomUUID(), kind, at, source: 'chat', by });
    },
    history: async (customerId) => (await histories.get(customerId.toLowerCase())) ?? [],
    withoutAccess: async () => (await access.get('all')) ?? [],
  };
}
