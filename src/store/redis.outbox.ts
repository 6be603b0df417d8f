/** The event store and outbox on the Redis store's client: every mutation is one Lua script (one atomic step). */
import type { RedisClientType } from '@redis/client';
import type { EventStore, Outbox, OutboxRow, OutboxState, RecordedEvent } from '../core/events/event-store.port.ts';
import type { BackendOptions } from './store-support.ts';
import { CLAIM } from './redis-claim-script.ts';
import { CLAIM_MORE, DEFER, DROP, FINISH, LIST, RECORD_EVENT, REPLAY, SWEEP } from './redis-outbox-scripts.ts';
import { OUTBOX_STATES, assertRecordable, createSweepSchedule, toClaim, toConflictError, toLimit, toTime } from './outbox-support.ts';

/** Done rows deleted per sweep script call: keeps each call short so other clients are not held up. */
const SWEEP_BATCH = 500;

type Pairs = string[];
type Run = (script: string, args: (string | number)[]) => Promise<unknown>;

interface Context {
  client: RedisClientType;
  /** `<prefix>:{outbox}:`, the first ARGV of every script. */
  base: string;
  run: Run;
  assertOpen: () => void;
}

export function createRedisOutbox(client: RedisClientType, options: BackendOptions, assertOpen: () => void): { events: EventStore; outbox: Outbox } {
  const base = `${options.prefix}:{outbox}:`;
  const run: Run = async (script, args) => {
    assertOpen();
    return client.eval(script, { keys: [`${base}counts`], arguments: [base, ...args.map(String)] });
  };
  const sweep = createSweepSchedule(options.now, async (cutoff) => {
    while (Number(await run(SWEEP, [cutoff, SWEEP_BATCH])) === SWEEP_BATCH);
  });
  const context: Context = { client, base, run, assertOpen };
  return { events: createEvents(context), outbox: createOutbox(context, sweep) };
}

function createEvents({ client, base, run, assertOpen }: Context): EventStore {
  return {
    async recordEvent(event, messages) {
      const receivedAt = assertRecordable(event, messages);
      const args = [event.id, event.dedupeKey, event.kind, JSON.stringify(event.body), receivedAt];
      for (const message of messages) args.push(message.id, message.conversationKey, JSON.stringify(message.payload));
      try {
        return (await run(RECORD_EVENT, args)) === 1;
      } catch (error) {
        throw error instanceof Error && error.message.startsWith('CONFLICT') ? toConflictError(error) : error;
      }
    },
    async getEvent(id) {
      assertOpen();
      const fields = await client.hGetAll(`${base}event:${id}`);
      return fields.id === undefined ? undefined : toEvent(fields);
    },
  };
}

function createOutbox({ client, base, run, assertOpen }: Context, sweep: () => Promise<void>): Outbox {
  const rows = (reply: unknown): OutboxRow[] => (reply as Pairs[]).map(toOutboxRow);
  const finish = async (id: string, owner: string, state: OutboxState, notBefore = 0, error = '') =>
    (await run(FINISH, [id, owner, state, notBefore, error])) === 1;
  return {
    async claimDue(owner, now, limit, claimMs) {
      assertOpen();
      const claim = toClaim(now, limit, claimMs);
      if (claim.limit === 0) return [];
      await sweep();
      return rows(await run(CLAIM, [claim.now, owner, claim.claimedUntil, claim.limit]));
    },
    async claimMore(conversationKey, owner, now, minimum, limit, claimMs) {
      assertOpen();
      const claim = toClaim(now, limit, claimMs);
      if (claim.limit === 0) return [];
      return rows(await run(CLAIM_MORE, [conversationKey, claim.now, owner, claim.claimedUntil, toLimit(minimum), claim.limit]));
    },
    complete: (id, owner) => finish(id, owner, 'done'),
    retryLater: (id, owner, notBefore, error) => finish(id, owner, 'pending', toTime(notBefore, 'notBefore'), error),
    markDead: (id, owner, error) => finish(id, owner, 'dead', 0, error),
    async deferConversation(conversationKey, until) {
      await run(DEFER, [conversationKey, toTime(until, 'until')]);
    },
    dropConversation: async (conversationKey, reason) => Number(await run(DROP, [conversationKey, reason])),
    async listDead(limit) {
      assertOpen();
      return toLimit(limit) === 0 ? [] : rows(await run(LIST, ['dead', limit]));
    },
    async replayDead(ids) {
      assertOpen();
      if (ids?.length === 0) return 0;
      return Number(await run(REPLAY, ids ? ['', ...ids] : ['*']));
    },
    async counts() {
      assertOpen();
      const values = await client.hmGet(`${base}counts`, [...OUTBOX_STATES]);
      return Object.fromEntries(OUTBOX_STATES.map((state, index) => [state, Number(values[index] ?? 0)])) as Record<OutboxState, number>;
    },
    listConversation: async (conversationKey) => rows(await run(LIST, ['conversation', conversationKey])),
  };
}

function toRecord(pairs: Pairs): Record<string, string> {
  const record: Record<string, string> = {};
  for (let index = 0; index + 1 < pairs.length; index += 2) record[pairs[index]!] = pairs[index + 1]!;
  return record;
}

/** Same shape as the SQL backends: optional fields only while they carry a value. */
function toOutboxRow(pairs: Pairs): OutboxRow {
  const fields = toRecord(pairs);
  const row: OutboxRow = {
    id: fields.id!,
    eventId: fields.eventId!,
    conversationKey: fields.conversationKey!,
    payload: JSON.parse(fields.payload!) as Record<string, unknown>,
    state: fields.state as OutboxState,
    attempts: Number(fields.attempts),
    notBefore: Number(fields.notBefore),
    createdAt: Number(fields.createdAt),
  };
  if (fields.claimedBy !== undefined) row.claimedBy = fields.claimedBy;
  if (fields.claimedUntil !== undefined) row.claimedUntil = Number(fields.claimedUntil);
  if (fields.lastError !== undefined) row.lastError = fields.lastError;
  return row;
}

function toEvent(fields: Record<string, string>): RecordedEvent {
  const body = JSON.parse(fields.body!) as Record<string, unknown>;
  return { id: fields.id!, dedupeKey: fields.dedupeKey!, kind: fields.kind!, body, receivedAt: Number(fields.receivedAt) };
}
