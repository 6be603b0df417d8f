import { randomUUID } from 'node:crypto';
import { toConversationKey } from '../chat.ts';
import type { ActionHandler } from '../commands/action.ts';
import type { CustomerLedger } from '../customers/customer-ledger.ts';
import { timelineReply } from '../delivery/deliver-notification.ts';
import { withEntry, type TimelineStore } from '../delivery/timelines.ts';
import { isAppError } from '../errors.ts';
import type { Clock } from '../ports.ts';
import { toFailureReply } from '../relationships/invitation-reply.ts';
import { errorReply } from '../replies.ts';
import { isGuid, isRelationshipId, type GdapAdmin } from './gdap.port.ts';
import { actorOf } from './restoration.ts';

export interface ExpiryActionDependencies {
  gdap: Pick<GdapAdmin, 'getRelationship' | 'enableAutoExtend'>;
  ledger: Pick<CustomerLedger, 'noteAction'>;
  timelines: TimelineStore;
  clock: Clock;
}

/**
 * The `expiring` card's "Enable auto-extend" (its "Start a new relationship" is the playbook's
 * `restoration.start`). Admins only, checked at click time; the ids come from the button, so the
 * relationship must be the customer's the card names. The card is updated in place and the customer's
 * history learns who did it.
 */
export function createExpiryActions(deps: ExpiryActionDependencies): Record<string, ActionHandler> {
  const enableAutoExtend: ActionHandler = async ({ event, locale, isAdmin, data }) => {
    const customerId = String(data.customerId ?? '').toLowerCase();
    const relationshipId = String(data.relationshipId ?? '').toLowerCase();
    if (!isGuid(customerId) || !isRelationshipId(relationshipId)) return errorReply(locale, 'PARTNER_CENTER.NOT_FOUND');
    if (!isAdmin) return errorReply(locale, 'ACCESS.ADMIN_ONLY', { detail: 'auto-extend' });
    const call = { locale, correlationId: randomUUID() };
    try {
      const current = await deps.gdap.getRelationship(relationshipId, call);
      if (current.customer?.tenantId.toLowerCase() !== customerId) return errorReply(locale, 'PARTNER_CENTER.NOT_FOUND');
      const relationship = await deps.gdap.enableAutoExtend(relationshipId, call);
      const at = new Date(deps.clock.now()).toISOString();
      await deps.ledger.noteAction(customerId, 'auto-extend-enabled', actorOf(event.user), at);
      const key = toConversationKey(event.address);
      const storyKey = `customer:${customerId}`;
      const timeline = await deps.timelines.get(key, storyKey);
      const details = { id: relationship.id, displayName: relationship.displayName, status: relationship.status, roles: relationship.roles, endDateTime: relationship.endDateTime };
      const customer = timeline?.subject.customer ?? { id: customerId, name: relationship.customer?.displayName };
      const next = withEntry(timeline, { storyKey, customer, relationship: details }, { eventId: randomUUID(), kind: 'auto-extend-enabled', at });
      if (timeline) await deps.timelines.save(key, storyKey, next);
      return { ...timelineReply(next, locale), updatesCard: true };
    } catch (error) {
      if (isAppError(error)) return toFailureReply(locale, error, call.correlationId);
      throw error;
    }
  };
  return { 'gdap.auto-extend': enableAutoExtend };
}
