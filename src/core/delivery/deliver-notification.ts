import type { ConversationAddress, Locale, Reply } from '../chat.ts';
import type { ConversationSettingsStore } from '../conversations/conversation-settings.ts';
import type { Enricher, StorySubject } from '../events/enrich-event.ts';
import type { OutboxRow } from '../events/event-store.port.ts';
import type { DomainEvent } from '../events/partner-center-event.ts';
import type { Clock } from '../ports.ts';
import { DeliveryFailure, toDeliveryFailure, type ChatSender } from './chat-sender.port.ts';
import type { Pacer } from './pacer.ts';
import { withEntry, type Timeline, type TimelineStore } from './timelines.ts';

/** What the intake puts in an outbox row (ingest-event.ts). */
export interface TimelinePayload {
  template: 'customer-timeline';
  event: DomainEvent;
  address: ConversationAddress;
}

export interface DeliveryDependencies {
  sender: ChatSender;
  timelines: TimelineStore;
  enricher: Enricher;
  settings: ConversationSettingsStore;
  pacer: Pacer;
  clock: Clock;
  defaultLocale: Locale;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Other notes than customer cards (the restoration playbook's): the message to post, from the row's payload. */
  noteFor?: (payload: Record<string, unknown>) => Promise<Reply | undefined>;
  /** A longer wait for our own pacing gives the row back (retry later) instead of holding its claim. */
  maxPacingWaitMs?: number;
}

/** "Slow down" answers waited out in place before the row goes back to the worker. */
const RATE_LIMIT_RETRIES = 3;
/** After this many failed reads of the customer, the notification goes out with the ids it has. */
const ENRICHMENT_ATTEMPTS = 3;

/**
 * Delivers one notification as a customer's card in one conversation: the first event posts the card,
 * later ones update it in place and add a short follow-up under it. Re-running after a crash never adds
 * the same event twice (the timeline remembers event ids); at worst the last call is repeated.
 */
export function createTimelineDelivery(deps: DeliveryDependencies) {
  // Well inside the worker's claim (30 s) together with one HTTP timeout (15 s).
  const maxWait = deps.maxPacingWaitMs ?? 5_000;

  /** Waits until one more call to the conversation fits the platform limits (a long wait gives the row back). */
  async function waitForTurn(conversationKey: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const delay = deps.pacer.delayFor(conversationKey, deps.clock.now());
      if (delay <= 0) return;
      if (delay > maxWait) throw new DeliveryFailure('rate-limited', 'paced by the platform limits', { retryAfterMs: delay });
      await deps.sleep(delay, signal);
    }
  }

  /**
   * One call in the conversation's turn. A short "slow down" is waited out here, holding the claim (the
   * conversation is ours anyway), instead of handing the row back and waiting for the next claim; a long
   * one, or the third in a row, goes back to the worker, which pauses the conversation in the store.
   */
  async function paced<T>(conversationKey: string, signal: AbortSignal, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await waitForTurn(conversationKey, signal);
      deps.pacer.record(conversationKey, deps.clock.now());
      try {
        return await call();
      } catch (error) {
        const failure = toDeliveryFailure(error);
        const retryAfterMs = failure.retryAfterMs ?? 1_000;
        if (failure.kind !== 'rate-limited' || attempt >= RATE_LIMIT_RETRIES || retryAfterMs > maxWait) throw failure;
        deps.pacer.pause(conversationKey, deps.clock.now() + retryAfterMs);
      }
    }
  }

  async function locale(address: ConversationAddress): Promise<Locale> {
    return (await deps.settings.get(address)).language ?? deps.defaultLocale;
  }

  /**
   * A burst for one conversation: one digest message instead of a card per event. Each customer's
   * timeline still learns the event, so its own card tells the whole story when it is next updated.
   */
  async function deliverDigest(burst: readonly OutboxRow[], signal: AbortSignal): Promise<void> {
    // A playbook note that piled up with them is its own message (it is no customer card to fold).
    for (const note of burst.filter(isNote)) await deliverNote(note, signal);
    const rows = burst.filter((row) => !isNote(row));
    const first = rows[0];
    if (!first) return;
    const key = first.conversationKey;
    const items: Array<{ timeline: Timeline; storyKey: string; entry: Timeline['entries'][number] }> = [];
    for (const row of rows) {
      const { event } = readPayload(row);
      const subject = await deps.enricher.subjectOf(event, row.eventId, { bestEffort: true });
      const timeline = await deps.timelines.get(key, subject.storyKey);
      if (timeline?.entries.some((entry) => entry.eventId === row.eventId)) continue;
      const entry = { eventId: row.eventId, kind: event.kind, at: event.changedAt ?? new Date(row.createdAt).toISOString(), expiresInDays: event.expiresInDays };
      items.push({ timeline: withEntry(timeline, subject, entry), storyKey: subject.storyKey, entry });
    }
    if (items.length === 0) return;
    const language = await locale(readPayload(first).address);
    const digest: Reply = {
      template: 'notification-digest',
      locale: language,
      data: { items: items.map(({ timeline, entry }) => ({ ...timelineReply({ ...timeline, entries: [entry] }, language).data })) },
    };
    await paced(key, signal, () => deps.sender.post(key, digest));
    for (const item of items) await deps.timelines.save(key, item.storyKey, item.timeline);
  }

  async function deliver(row: OutboxRow, signal: AbortSignal, takeBurst: () => Promise<OutboxRow[]> = async () => []): Promise<void> {
    if (isNote(row)) return deliverNote(row, signal);
    const { event, address } = readPayload(row);
    const key = row.conversationKey;
    // What piled up while this conversation waited for its turn goes out together.
    await waitForTurn(key, signal);
    const burst = await takeBurst();
    if (burst.length > 0) return deliverDigest([row, ...burst], signal);
    const subject = await deps.enricher.subjectOf(event, row.eventId, { bestEffort: row.attempts >= ENRICHMENT_ATTEMPTS });
    const found = await findTimeline(deps.timelines, key, subject, event);
    if (!found.adopted && found.timeline?.entries.some((entry) => entry.eventId === row.eventId || entry.eventId === event.resolves)) return;
    const entry = { eventId: row.eventId, kind: event.kind, at: event.changedAt ?? new Date(row.createdAt).toISOString(), expiresInDays: event.expiresInDays };
    const next = found.adopted ? { ...withEntry(undefined, subject, entry), entries: found.timeline?.entries ?? [], messageRef: found.timeline?.messageRef } : withEntry(found.timeline, subject, entry);
    const language = await locale(address);
    next.messageRef = await show(key, next, language, signal);
    await deps.timelines.save(key, subject.storyKey, next);
    if (found.adopted) await deps.timelines.remove(key, `unidentified:${event.resolves}`);
  }

  return deliver;

  /** A playbook note: posted as a new message in the playbook's conversation. */
  async function deliverNote(row: OutboxRow, signal: AbortSignal): Promise<void> {
    const reply = await deps.noteFor?.(row.payload);
    if (!reply) throw new DeliveryFailure('permanent', 'the note has nothing to say any more (no such playbook)');
    await paced(row.conversationKey, signal, () => deps.sender.post(row.conversationKey, reply));
  }

  /** Updates the card and answers under it, or posts it when it does not exist (yet, or any more). */
  async function show(key: string, timeline: Timeline, language: Locale, signal: AbortSignal): Promise<string> {
    const card = timelineReply(timeline, language);
    const messageRef = timeline.messageRef;
    if (messageRef && (await paced(key, signal, () => deps.sender.update(key, messageRef, card)))) {
      await paced(key, signal, () => deps.sender.postFollowUp(key, messageRef, { ...card, template: 'timeline-update' }));
      return messageRef;
    }
    return paced(key, signal, () => deps.sender.post(key, card));
  }
}

export function timelineReply(timeline: Timeline, locale: Locale): Reply {
  const { customer, identifying, relationship } = timeline.subject;
  const entries = timeline.entries.map(({ kind, at, expiresInDays }) => ({ kind, at, ...(expiresInDays !== undefined && { expiresInDays }) }));
  return { template: 'customer-timeline', locale, data: { customer, identifying: identifying === true, relationship, entries } };
}

/**
 * The card this event belongs on. A reconciliation result that names the customer of an earlier
 * "identifying which" card adopts that card (same message, now with the name) instead of starting another.
 */
async function findTimeline(timelines: TimelineStore, key: string, subject: StorySubject, event: DomainEvent): Promise<{ timeline?: Timeline; adopted: boolean }> {
  const current = await timelines.get(key, subject.storyKey);
  const pending = event.resolves ? await timelines.get(key, `unidentified:${event.resolves}`) : undefined;
  if (!pending) return { timeline: current, adopted: false };
  // The customer may already have a card here: its history joins the adopted one.
  const known = new Set(pending.entries.map((entry) => entry.eventId));
  const entries = [...pending.entries, ...(current?.entries ?? []).filter((entry) => !known.has(entry.eventId))].sort((a, b) => a.at.localeCompare(b.at));
  return { timeline: { ...pending, entries }, adopted: true };
}

function isNote(row: OutboxRow): boolean {
  return row.payload.template === 'restoration-note';
}

function readPayload(row: OutboxRow): TimelinePayload {
  const payload = row.payload as Partial<TimelinePayload>;
  if (payload.template !== 'customer-timeline' || !payload.event || !payload.address) {
    throw new DeliveryFailure('permanent', `unknown notification payload (template ${String(payload.template)})`);
  }
  return payload as TimelinePayload;
}
