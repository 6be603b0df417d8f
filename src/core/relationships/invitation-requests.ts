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
const INDEX_FLUSH_MS = 1_000;

/** Kept for the audit trail and `pending`, and so card buttons can be bound to a server-side record. */
export function createInvitationRequests(store: Store, now: () => number): InvitationRequests {
  const requests = store.namespace<InvitationRequest>('invitation-requests');
  const index = store.namespace<InvitationRequest[]>('invitation-requests-index');
  // The index is written in batches, off the request's path: one lease and one write per second at most,
  // however many invitations are requested. A crash loses at most the last second of index entries, which
  // only hides those requests from `pending` (the requests themselves are stored at once).
  let queued: InvitationRequest[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  const flush = async (): Promise<void> => {
    flushTimer = undefined;
    const batch = queued;
    queued = [];
    await withLease(store, 'invitation-requests-index', async () => {
      await index.set('recent', [...((await index.get('recent')) ?? []), ...batch].slice(-INDEX_LIMIT));
    }).catch(() => undefined);
  };
  const appendToIndex = (request: InvitationRequest): void => {
    queued.push(request);
    flushTimer ??= setTimeout(() => void flush(), INDEX_FLUSH_MS);
    flushTimer.unref?.();
  };
  return {
    async record(request) {
      const saved = { ...request, id: randomUUID(), requestedAt: new Date(now()).toISOString() };
      await requests.set(saved.id, saved);
      appendToIndex(saved);
      return saved;
    },
    async listOpen() {
      const cutoff = new Date(now() - OPEN_DAYS * 24 * 60 * 60_000).toISOString();
      return [...((await index.get('recent')) ?? []), ...queued].filter((request) => request.requestedAt >= cutoff);
    },
    get: (id) => (/^[0-9a-f-]{36}$/.test(id) ? requests.get(id) : Promise.resolve(undefined)),
  };
}
