import { randomUUID } from 'node:crypto';
import { toConversationKey } from '../chat.ts';
import type { CustomerLedger } from '../customers/customer-ledger.ts';
import type { SubscriptionDirectory } from '../notifications/subscriptions.ts';
import type { EventStore, OutboxMessage } from './event-store.port.ts';
import { factOf, type FactLedger } from './facts.ts';
import { toDomainEvent, type DomainEvent, type PartnerCenterWebhookBody } from './partner-center-event.ts';
import type { UnidentifiedRemovals } from './unidentified-removals.ts';

export type RecordOutcome = 'recorded' | 'duplicate' | 'known';
export type IngestResult = { outcome: RecordOutcome; event: DomainEvent; notifications: number } | { outcome: 'test'; event: DomainEvent };

export interface EventRecorderDependencies {
  events: EventStore;
  subscriptions: SubscriptionDirectory;
  facts: FactLedger;
  unidentified: UnidentifiedRemovals;
  /** Per-customer history for `status` and the "without admin access" list for `pending`. */
  ledger?: CustomerLedger;
  now: () => number;
  /** Called after an event with notifications was stored: the outbox worker can start at once. */
  onRecorded?: () => void;
  /** Every newly recorded event (the restoration playbook follows approvals). Errors are the callee's to handle. */
  onEvent?: (event: DomainEvent) => void;
  /** A failure of the work done after answering (the customer ledger). */
  onBackgroundError?: (error: unknown) => void;
  /** A removal that names no customer was stored: reconciliation should find out which one, now. */
  onUnidentifiedRemoval?: () => void;
}

export interface EventRecorder {
  /**
   * Stores the event (deduplicated on `event.dedupeKey`) and one outbox row per subscribed conversation in one atomic step. `duplicate`: the
   * same delivery was stored before (nothing written). `known`: the partner was already told this fact
   * (by a webhook or the poll): the event is stored for the record, with nobody to notify.
   */
  record(event: DomainEvent, raw?: Record<string, unknown>): Promise<{ outcome: RecordOutcome; eventId: string; notifications: number }>;
  /** Resolves when the ledger writes queued so far are done (tests, shutdown). */
  settled?(): Promise<void>;
}

export function createEventRecorder(deps: EventRecorderDependencies): EventRecorder {
  // The customer ledger feeds `status` and `pending` only: it is written after the webhook is answered, in
  // order, so its leases and writes stay off the intake's path. A crash can lose its last entries, no event.
  let ledgerWrites: Promise<void> = Promise.resolve();
  const noteLater = (event: DomainEvent, eventId: string): void => {
    const ledger = deps.ledger;
    if (!ledger) return;
    ledgerWrites = ledgerWrites.then(() => ledger.note(event, eventId)).catch((error: unknown) => deps.onBackgroundError?.(error));
  };
  return {
    settled: () => ledgerWrites,
    async record(event, raw) {
      const fact = factOf(event);
      const known = fact !== undefined && (await deps.facts.isKnown(fact));
      const audience = !known && event.notification ? await deps.subscriptions.listFor(event.notification) : [];
      const eventId = randomUUID();
      const messages: OutboxMessage[] = audience.map((subscription) => ({
        id: randomUUID(),
        eventId,
        conversationKey: toConversationKey(subscription.address),
        payload: { template: 'customer-timeline', event: { ...event }, address: subscription.address },
      }));
      const body = raw ? { ...event, raw } : { ...event };
      const recorded = await deps.events.recordEvent({ id: eventId, dedupeKey: event.dedupeKey, kind: event.kind, body, receivedAt: deps.now() }, messages);
      if (!recorded) return { outcome: 'duplicate', eventId, notifications: 0 };
      // After the event is stored: a crash in between can only make a fact be told twice, never lost.
      if (fact) await deps.facts.remember([fact]);
      if (!known) noteLater(event, eventId);
      if (isUnidentifiedRemoval(event)) {
        await deps.unidentified.add({ eventId, kind: event.kind, at: event.changedAt ?? new Date(deps.now()).toISOString() });
        deps.onUnidentifiedRemoval?.();
      }
      if (messages.length > 0) deps.onRecorded?.();
      deps.onEvent?.(event);
      return { outcome: known ? 'known' : 'recorded', eventId, notifications: messages.length };
    },
  };
}

function isUnidentifiedRemoval(event: DomainEvent): event is DomainEvent & { kind: 'admin-removed' | 'admin-removed-by-microsoft' } {
  return (event.kind === 'admin-removed' || event.kind === 'admin-removed-by-microsoft') && !event.customerId && !event.customer && !event.auditUri && !event.resolves;
}

/**
 * A verified webhook body → the stored event plus its notifications, before the webhook is answered. No
 * chat call happens here; the outbox worker sends. Unknown events are stored (with no audience) so they
 * can be counted and looked at, never silently dropped.
 */
export function createEventIntake(recorder: EventRecorder, apiHost: string) {
  return async function ingestWebhook(body: PartnerCenterWebhookBody): Promise<IngestResult> {
    const parsed = toDomainEvent(body, apiHost);
    const event: DomainEvent = { ...parsed, source: 'webhook' };
    if (event.kind === 'test') return { outcome: 'test', event };
    const result = await recorder.record(event, { ...body });
    return { outcome: result.outcome, event, notifications: result.notifications };
  };
}
