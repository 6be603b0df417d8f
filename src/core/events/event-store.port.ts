/**
 * Durable event intake and the notification outbox. Implemented natively per backend (SQLite
 * transactions, PostgreSQL transactions with SKIP LOCKED, Redis Lua), because keyv has no atomic
 * multi-key operations and "never lost, never doubled" depends on them.
 */

/** A domain event as received (webhook) or derived (reconciliation), before fan-out. */
export interface RecordedEvent {
  /** Unique id of this stored event. */
  id: string;
  /** Same value for re-deliveries of the same fact (hash of the webhook's fields): the dedupe key. */
  dedupeKey: string;
  /** Domain event kind, e.g. `accepted`, `admin-removed`, `gdap-approved`, `unknown`. */
  kind: string;
  /** The normalised event (customer id, relationship id, dates, raw event name…). JSON. */
  body: Record<string, unknown>;
  receivedAt: number;
}

/** One notification for one conversation. */
export interface OutboxMessage {
  id: string;
  eventId: string;
  /** `platform:tenant:conversation` (core/chat.ts toConversationKey). */
  conversationKey: string;
  /** What to render and send (template name, data, the customer the card tells the story of…). JSON. */
  payload: Record<string, unknown>;
}

export type OutboxState = 'pending' | 'sending' | 'done' | 'dead';

export interface OutboxRow extends OutboxMessage {
  state: OutboxState;
  attempts: number;
  /** Not to be sent before this time (ms since epoch): backoff or the conversation's Retry-After. */
  notBefore: number;
  createdAt: number;
  /** Set while `sending`: who holds it and until when (a crashed sender's rows become due again). */
  claimedBy?: string;
  claimedUntil?: number;
  lastError?: string;
}

export interface EventStore {
  /**
   * Stores the event and its outbox rows in ONE atomic step. Returns false (and stores nothing) when an
   * event with the same dedupeKey was already recorded: a re-delivered webhook changes nothing.
   */
  recordEvent(event: RecordedEvent, messages: readonly OutboxMessage[]): Promise<boolean>;
  getEvent(id: string): Promise<RecordedEvent | undefined>;
}

export interface Outbox {
  /**
   * Claims up to `limit` due rows (state pending, or sending with an expired claim; notBefore <= now),
   * oldest first, AT MOST ONE PER CONVERSATION and none for a conversation that already has a row being
   * sent under a live claim: one send in flight per conversation. Claimed rows become `sending`, claimed
   * by `owner` until `now + claimMs`, attempts + 1. Safe under concurrent callers (no row claimed twice).
   */
  claimDue(owner: string, now: number, limit: number, claimMs: number): Promise<OutboxRow[]>;
  /**
   * For the digest: claims up to `limit` more due pending rows of one conversation, oldest first, but only
   * when `owner` already holds a live claim in that conversation (so one sender still owns it) and at least
   * `minimum` such rows are due; otherwise claims nothing and returns [].
   */
  claimMore(conversationKey: string, owner: string, now: number, minimum: number, limit: number, claimMs: number): Promise<OutboxRow[]>;
  /** Sent: `done`. Only if still claimed by `owner` (else false: someone else took it over). */
  complete(id: string, owner: string): Promise<boolean>;
  /** Failed for now: back to `pending` with `notBefore`. Only if still claimed by `owner`. */
  retryLater(id: string, owner: string, notBefore: number, error: string): Promise<boolean>;
  /** Out of retries: `dead`. Only if still claimed by `owner`. */
  markDead(id: string, owner: string, error: string): Promise<boolean>;
  /** The platform said "slow down" for a conversation: no row of it is due before `until`. */
  deferConversation(conversationKey: string, until: number): Promise<void>;
  /** The conversation is gone: its pending rows become `dead` with `reason`. Returns how many. */
  dropConversation(conversationKey: string, reason: string): Promise<number>;
  listDead(limit: number): Promise<OutboxRow[]>;
  /** Dead rows (all, or the given ids) back to pending, attempts reset. Returns how many. */
  replayDead(ids?: readonly string[]): Promise<number>;
  counts(): Promise<Record<OutboxState, number>>;
  /** Every row of one conversation, oldest first (tests and the digest fold). */
  listConversation(conversationKey: string): Promise<OutboxRow[]>;
}
