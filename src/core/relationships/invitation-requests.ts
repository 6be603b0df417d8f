import { randomUUID } from 'node:crypto';
import type { ConversationAddress, Locale } from '../chat.ts';
import type { Store } from '../ports.ts';
import { withLease } from '../with-lease.ts';
import type { IndirectProvider } from './partner-center.port.ts';

/** One `request relationship`: who asked, where, when, in which language and variant. The link is not kept. */
export interface InvitationRequest {
  id: string;
  address: ConversationAddress;
  requestedBy: { id: string; name?: string };
  requestedAt: string;
  customerLocale: Locale;
  variant: 'direct' | 'indirect';
  provider?: Pick<IndirectProvider, 'id' | 'name'>;
}

export interface InvitationRequests {
  record(request: Omit<InvitationRequest, 'id' | 'requestedAt'>): Promise<InvitationRequest>;
  get(id: string): Promise<InvitationRequest | undefined>;
  /** Requests of the last OPEN_DAYS days, oldest first (for `pending`). */
  listOpen(): Promise<InvitationRequest[]>;
}

/** A request link does not expire, but after this long an unanswered invitation is not "pending" any more. */
export const OPEN_DAYS = 90;
const INDEX_LIMIT = 500;

/** Kept for the audit trail and `pending`, and so card buttons can be bound to a server-side record. */
export function createInvitationRequests(store: Store, now: () => number): InvitationRequests {
  const requests = store.namespace<InvitationRequest>('invitation-requests');
  const index = store.namespace<InvitationRequest[]>('invitation-requests-index');
  const appendToIndex = (request: InvitationRequest) =>
    withLease(store, 'invitation-requests-index', async () => {
      const list = [...((await index.get('recent')) ?? []), request].slice(-INDEX_LIMIT);
      await index.set('recent', list);
    });
  return {
    async record(request) {
      const saved = { ...request, id: randomUUID(), requestedAt: new Date(now()).toISOString() };
      await requests.set(saved.id, saved);
      // Off the request's path (the card must not wait for a lease); a lost index entry only hides it from `pending`.
      void appendToIndex(saved).catch(() => undefined);
      return saved;
    },
    async listOpen() {
      const cutoff = new Date(now() - OPEN_DAYS * 24 * 60 * 60_000).toISOString();
      return ((await index.get('recent')) ?? []).filter((request) => request.requestedAt >= cutoff);
    },
    get: (id) => (/^[0-9a-f-]{36}$/.test(id) ? requests.get(id) : Promise.resolve(undefined)),
  };
}
