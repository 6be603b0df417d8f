/** What the three outbox backends share: argument checks, row mapping, the sweep schedule and errors. */
import { AppError } from '../core/errors.ts';
import type { OutboxMessage, OutboxRow, OutboxState, RecordedEvent } from '../core/events/event-store.port.ts';
import { toTtlMs } from './store-support.ts';

/** Done rows stay this long for audit and duplicate analysis, then a sweep deletes them. */
export const DONE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Sweeps run from claimDue at most this often per store instance. */
export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export const OUTBOX_STATES: readonly OutboxState[] = ['pending', 'sending', 'done', 'dead'];

/** Times are whole milliseconds in every backend (BIGINT columns, integer Lua strings). */
export function toTime(value: number, name: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite time in ms, got ${value}`);
  return Math.floor(value);
}

export function toLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
  return limit;
}

/** What one claimDue call needs, checked and rounded once. */
export function toClaim(now: number, limit: number, claimMs: number) {
  const at = toTime(now, 'now');
  return { now: at, limit: toLimit(limit), claimedUntil: at + toTtlMs(claimMs) };
}

/** Rows always belong to the event they are recorded with; anything else is a caller bug. Returns receivedAt. */
export function assertRecordable(event: RecordedEvent, messages: readonly OutboxMessage[]): number {
  const receivedAt = toTime(event.receivedAt, 'receivedAt');
  for (const message of messages) {
    if (message.eventId !== event.id) {
      throw new RangeError(`Outbox message ${message.id} belongs to event ${message.eventId}, not ${event.id}`);
    }
  }
  return receivedAt;
}

/** A row as both SQL backends store it (PostgreSQL returns BIGINT as strings). */
export interface SqlOutboxRow {
  seq: number | string;
  id: string;
  event_id: string;
  conversation_key: string;
  payload: string;
  state: OutboxState;
  attempts: number | string;
  not_before: number | string;
  created_at: number | string;
  claimed_by: string | null;
  claimed_until: number | string | null;
  last_error: string | null;
}

export interface SqlEventRow {
  id: string;
  dedupe_key: string;
  kind: string;
  body: string;
  received_at: number | string;
}

/** Optional fields are left out rather than set to undefined, so rows compare equal across backends. */
export function fromSqlRow(row: SqlOutboxRow): OutboxRow {
  const result: OutboxRow = {
    id: row.id,
    eventId: row.event_id,
    conversationKey: row.conversation_key,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    state: row.state,
    attempts: Number(row.attempts),
    notBefore: Number(row.not_before),
    createdAt: Number(row.created_at),
  };
  if (row.claimed_by !== null) result.claimedBy = row.claimed_by;
  if (row.claimed_until !== null) result.claimedUntil = Number(row.claimed_until);
  if (row.last_error !== null) result.lastError = row.last_error;
  return result;
}

export function fromSqlEvent(row: SqlEventRow): RecordedEvent {
  const body = JSON.parse(row.body) as Record<string, unknown>;
  return { id: row.id, dedupeKey: row.dedupe_key, kind: row.kind, body, receivedAt: Number(row.received_at) };
}

/** RETURNING gives no order; claims are handed out oldest first (created_at, then insertion order). */
export function sortByAge(rows: SqlOutboxRow[]): SqlOutboxRow[] {
  return rows.sort((a, b) => Number(a.created_at) - Number(b.created_at) || Number(a.seq) - Number(b.seq));
}

export function toCounts(rows: readonly { state: string; count: number | string }[]): Record<OutboxState, number> {
  const counts: Record<OutboxState, number> = { pending: 0, sending: 0, done: 0, dead: 0 };
  for (const row of rows) if ((OUTBOX_STATES as readonly string[]).includes(row.state)) counts[row.state as OutboxState] = Number(row.count);
  return counts;
}

/** An event or message id that is already stored: the whole record was refused and nothing was written. */
export function toConflictError(cause: unknown): AppError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new AppError('STORE.CONFLICT', { expected: false, cause, message: `Event not recorded, an id is already taken: ${reason}` });
}

/** Runs `sweep` on the first call and then at most once per interval, on the store's clock. */
export function createSweepSchedule(now: () => number, sweep: (cutoff: number) => Promise<void>): () => Promise<void> {
  let nextSweepAt = 0;
  return async () => {
    const at = now();
    if (at < nextSweepAt) return;
    nextSweepAt = at + SWEEP_INTERVAL_MS;
    await sweep(at - DONE_RETENTION_MS);
  };
}
