import { randomUUID } from 'node:crypto';
import type { ConversationAddress, Locale } from '../chat.ts';
import type { Store } from '../ports.ts';
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
}

/** Kept for the audit trail and `pending`, and so card buttons can be bound to a server-side record. */
export function createInvitationRequests(store: Store, now: () => number): InvitationRequests {
  const requests = store.namespace<InvitationRequest>('invitation-requests');
  return {
    async record(request) {
      const saved = { ...request, id: randomUUID(), requestedAt: new Date(now()).toISOString() };
      await requests.set(saved.id, saved);
      return saved;
    },
    get: (id) => (/^[0-9a-f-]{36}$/.test(id) ? requests.get(id) : Promise.resolve(undefined)),
  };
}
