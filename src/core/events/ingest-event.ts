import { randomUUID } from 'node:crypto';
import { toConversationKey } from '../chat.ts';
import type { SubscriptionDirectory } from '../notifications/subscriptions.ts';
import type { EventStore, OutboxMessage } from './event-store.port.ts';
import { toDomainEvent, type DomainEvent, type PartnerCenterWebhookBody } from './partner-center-event.ts';

export type IngestResult = { outcome: 'recorded'; event: DomainEvent; notifications: number } | { outcome: 'duplicate' | 'test'; event: DomainEvent };

export interface EventIntakeDependencies {
  events: EventStore;
  subscriptions: SubscriptionDirectory;
  /** Host of PARTNER_CENTER_API_URL: the only host whose URIs in an event are trusted. */
  apiHost: string;
  now: () => number;
  /** Called after an event with notifications was stored: the outbox worker can start at once. */
  onRecorded?: () => void;
}

/**
 * A verified webhook body → the stored event plus one outbox row per subscribed conversation, in one
 * atomic step, before the webhook is answered. No chat call happens here; the outbox worker sends.
 * A re-delivery (same dedupe key) stores nothing. Unknown events are stored (with no audience) so they
 * can be counted and looked at, never silently dropped.
 */
export function createEventIntake(deps: EventIntakeDependencies) {
  return async function ingestWebhook(body: PartnerCenterWebhookBody): Promise<IngestResult> {
    const event = { ...toDomainEvent(body, deps.apiHost), source: 'webhook' as const };
    if (event.kind === 'test') return { outcome: 'test', event };
    const audience = event.notification ? await deps.subscriptions.listFor(event.notification) : [];
    const eventId = randomUUID();
    const messages: OutboxMessage[] = audience.map((subscription) => ({
      id: randomUUID(),
      eventId,
      conversationKey: toConversationKey(subscription.address),
      payload: { template: 'customer-timeline', event: { ...event }, address: subscription.address },
    }));
    const recorded = await deps.events.recordEvent(
      { id: eventId, dedupeKey: event.dedupeKey, kind: event.kind, body: { ...event, raw: { ...body } }, receivedAt: deps.now() },
      messages,
    );
    if (!recorded) return { outcome: 'duplicate', event };
    if (messages.length > 0) deps.onRecorded?.();
    return { outcome: 'recorded', event, notifications: messages.length };
  };
}
