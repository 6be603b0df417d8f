import { toConversationKey } from '../chat.ts';
import { newTimeOrderedId } from '../time-ordered-id.ts';
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
  /** Resolves when the fact and ledger writes queued so far are done (tests, shutdown). */
  settled?(): Promise<void>;
}

export function createEventRecorder(deps: EventRecorderDependencies): EventRecorder {
  const afterAnswer = createAfterAnswer(deps);
  return {
    settled: afterAnswer.settled,
    async record(event, raw) {
      const fact = factOf(event);
      const known = fact !== undefined && (await deps.facts.isKnown(fact));
      const audience = !known && event.notification ? await deps.subscriptions.listFor(event.notification) : [];
      const eventId = newTimeOrderedId(deps.now());
      const messages: OutboxMessage[] = audience.map((subscription) => ({
        id: newTimeOrderedId(deps.now()),
        eventId,
        conversationKey: toConversationKey(subscription.address),
        payload: { template: 'customer-timeline', event: { ...event }, address: subscription.address },
      }));
      const body = raw ? { ...event, raw } : { ...event };
      const recorded = await deps.events.recordEvent({ id: eventId, dedupeKey: event.dedupeKey, kind: event.kind, body, receivedAt: deps.now() }, messages);
      if (!recorded) return { outcome: 'duplicate', eventId, notifications: 0 };
      // After the event is stored: a crash in between can only make a fact be told twice, never lost.
      afterAnswer.queue({ event, eventId, fact, ledger: !known });
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

interface AfterAnswerNote {
  event: DomainEvent;
  eventId: string;
  fact: string | undefined;
  /** Whether the customer ledger should note the event (not for a fact the partner was already told). */
  ledger: boolean;
}

/** At most this many notes are written together. */
const NOTES_PER_BATCH = 256;

/**
 * The fact and the customer ledger (which feeds `status` and `pending` only) are written after the webhook
 * is answered, in batches: what queued while one batch was written goes into the next, so under load the
 * writes of many events share the store's round trips (and SQLite's commits) instead of queueing one event
 * at a time. A customer's notes keep their order. A crash can lose the last notes, never an event; a lost
 * fact can only make it be told twice.
 */
function createAfterAnswer(deps: EventRecorderDependencies) {
  let queued: AfterAnswerNote[] = [];
  let draining: Promise<void> | undefined;

  async function writeBatch(batch: readonly AfterAnswerNote[]): Promise<void> {
    const facts = batch.flatMap((note) => (note.fact ? [note.fact] : []));
    const byCustomer = new Map<string, AfterAnswerNote[]>();
    for (const note of batch) {
      if (!note.ledger || !deps.ledger) continue;
      const key = note.event.customer?.id ?? note.event.customerId ?? '';
      const notes = byCustomer.get(key) ?? [];
      notes.push(note);
      byCustomer.set(key, notes);
    }
    const ledger = deps.ledger;
    const results = await Promise.allSettled([
      facts.length > 0 ? deps.facts.remember(facts) : Promise.resolve(),
      ...[...byCustomer.values()].map(async (notes) => {
        for (const note of notes) await ledger?.note(note.event, note.eventId);
      }),
    ]);
    for (const result of results) if (result.status === 'rejected') deps.onBackgroundError?.(result.reason);
  }

  async function drain(): Promise<void> {
    while (queued.length > 0) {
      const batch = queued.slice(0, NOTES_PER_BATCH);
      queued = queued.slice(batch.length);
      await writeBatch(batch);
    }
    draining = undefined;
  }

  return {
    queue(note: AfterAnswerNote): void {
      queued.push(note);
      draining ??= drain();
    },
    settled: (): Promise<void> => draining ?? Promise.resolve(),
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
