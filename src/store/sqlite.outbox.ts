/**
 * The event store and outbox on the SQLite store's own connection. Steps of several statements run in
 * BEGIN IMMEDIATE transactions: the file's single write lock serialises them against every other
 * connection and process, and the connection's mutex (sqlite-database.ts) against this process.
 */
import type { EventStore, Outbox, OutboxMessage, RecordedEvent } from '../core/events/event-store.port.ts';
import type { BackendOptions } from './store-support.ts';
import type { SqliteDatabase, SqliteStatements } from './sqlite-database.ts';
import { toSqliteOutboxSql } from './sqlite-outbox.sql.ts';
import {
  assertRecordable,
  createSweepSchedule,
  fromSqlEvent,
  fromSqlRow,
  sortByAge,
  toClaim,
  toConflictError,
  toCounts,
  toLimit,
  toTime,
  type SqlEventRow,
  type SqlOutboxRow,
} from './outbox-support.ts';

interface Context {
  database: SqliteDatabase;
  sql: ReturnType<typeof toSqliteOutboxSql>;
  assertOpen: () => void;
}

export function sqliteOutboxTables(prefix: string): string {
  return toSqliteOutboxSql(prefix).createTables;
}

export function createSqliteOutbox(database: SqliteDatabase, options: BackendOptions, assertOpen: () => void): { events: EventStore; outbox: Outbox } {
  const context: Context = { database, sql: toSqliteOutboxSql(options.prefix), assertOpen };
  const sweep = createSweepSchedule(options.now, async (cutoff) => {
    await database.run(context.sql.sweepDone, [cutoff]);
    await database.run(context.sql.sweepPauses, [cutoff]);
  });
  return { events: createEvents(context), outbox: createOutbox(context, sweep) };
}

interface PendingEvent {
  event: RecordedEvent;
  messages: readonly OutboxMessage[];
  receivedAt: number;
  resolve(recorded: boolean): void;
  reject(error: unknown): void;
}

/** At most this many events share one transaction, so a flood never builds one huge commit. */
const MAX_EVENTS_PER_TRANSACTION = 256;

/**
 * Group commit. Every statement is a round trip through libuv's thread pool and the event loop, and
 * transactions take turns on the connection, so one transaction per event caps intake at several hundred
 * events a second under load. Instead, recordEvent queues the event and makes sure ONE transaction is
 * waiting for the connection; when that transaction starts it takes every event queued by then and
 * writes them with two statements (events, then the rows of the events that were stored). An event that
 * arrives while nothing else is queued is written at once, as before.
 *
 * Each call's answer is what it would have been one call at a time, in call order: each event and its rows
 * commit together or not at all; a batch never holds two events with the same id or dedupe key (the
 * later one waits for the next transaction); and when a shared transaction fails, its events are written
 * again one per transaction, so only the event at fault is refused.
 */
function createEvents({ database, sql, assertOpen }: Context): EventStore {
  let queue: PendingEvent[] = [];
  /** A transaction is queued on the connection and has not yet taken its events. */
  let waiting = false;

  function takeBatch(): PendingEvent[] {
    const ids = new Set<string>();
    const dedupeKeys = new Set<string>();
    let size = 0;
    for (const { event } of queue) {
      if (size === MAX_EVENTS_PER_TRANSACTION || ids.has(event.id) || dedupeKeys.has(event.dedupeKey)) break;
      ids.add(event.id);
      dedupeKeys.add(event.dedupeKey);
      size += 1;
    }
    const batch = queue.slice(0, size);
    queue = queue.slice(size);
    return batch;
  }

  /** Per event, whether it was stored (false: its dedupe key was already there, and nothing was written). */
  async function write(tx: SqliteStatements, batch: readonly PendingEvent[]): Promise<boolean[]> {
    if (batch.length === 0) return [];
    const events = batch.map(({ event, receivedAt }) => [event.id, event.dedupeKey, event.kind, JSON.stringify(event.body), receivedAt]);
    // The dedupe key's unique index decides; a refused event writes nothing, rows included.
    const stored = new Set((await tx.all<{ id: string }>(sql.insertEvents, [JSON.stringify(events)])).map((row) => row.id));
    const rows = batch
      .filter(({ event }) => stored.has(event.id))
      .flatMap(({ event, messages, receivedAt }) => messages.map((message) => [message.id, event.id, message.conversationKey, JSON.stringify(message.payload), receivedAt]));
    if (rows.length > 0) await tx.run(sql.insertRows, [JSON.stringify(rows)]);
    return batch.map(({ event }) => stored.has(event.id));
  }

  async function writeAlone(pending: PendingEvent): Promise<void> {
    try {
      const [stored] = await database.transaction((tx) => write(tx, [pending]));
      pending.resolve(stored === true);
    } catch (error) {
      pending.reject(isConstraintError(error) ? toConflictError(error) : error);
    }
  }

  async function writeNextBatch(): Promise<void> {
    let batch: PendingEvent[] | undefined;
    const take = (): PendingEvent[] => {
      waiting = false;
      batch = takeBatch();
      if (queue.length > 0) scheduleBatch(); // what the batch left behind goes into the next transaction
      return batch;
    };
    try {
      const results = await database.transaction((tx) => write(tx, take()));
      batch?.forEach((pending, index) => pending.resolve(results[index] === true));
    } catch (error) {
      const failed = batch ?? take(); // BEGIN itself failed: the batch was never taken
      if (failed.length === 1) failed[0]?.reject(isConstraintError(error) ? toConflictError(error) : error);
      else for (const pending of failed) await writeAlone(pending); // nothing was stored: now one at a time
    }
  }

  function scheduleBatch(): void {
    if (waiting) return;
    waiting = true;
    void writeNextBatch();
  }

  return {
    async recordEvent(event, messages) {
      assertOpen();
      const receivedAt = assertRecordable(event, messages);
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ event, messages, receivedAt, resolve, reject });
        scheduleBatch();
      });
    },
    async getEvent(id) {
      assertOpen();
      const row = await database.get<SqlEventRow>(sql.getEvent, [id]);
      return row && fromSqlEvent(row);
    },
  };
}

function createOutbox({ database, sql, assertOpen }: Context, sweep: () => Promise<void>): Outbox {
  const changed = async (statement: string, params: unknown[]) => {
    assertOpen();
    return database.run(statement, params);
  };
  const rows = async (statement: string, params: unknown[] = []) => {
    assertOpen();
    return (await database.all<SqlOutboxRow>(statement, params)).map(fromSqlRow);
  };
  return {
    async claimDue(owner, now, limit, claimMs) {
      assertOpen();
      const claim = toClaim(now, limit, claimMs);
      if (claim.limit === 0) return [];
      await sweep();
      // One UPDATE decides and writes. A write statement takes the file's write lock before its first
      // read (what BEGIN IMMEDIATE does for a multi-statement transaction), so no other connection can
      // commit a claim between its "no live claim in this conversation" check and its write. Being a
      // single step, it also never holds the lock while waiting for a libuv thread for its next statement.
      const claimed = await database.all<SqlOutboxRow>(sql.claim, [claim.now, owner, claim.claimedUntil, claim.limit]);
      return sortByAge(claimed).map(fromSqlRow);
    },
    async claimMore(conversationKey, owner, now, minimum, limit, claimMs) {
      assertOpen();
      const claim = toClaim(now, limit, claimMs);
      if (claim.limit === 0) return [];
      const claimed = await database.all<SqlOutboxRow>(sql.claimMore, [conversationKey, owner, claim.now, claim.claimedUntil, toLimit(minimum), claim.limit]);
      return sortByAge(claimed).map(fromSqlRow);
    },
    complete: async (id, owner) => (await changed(sql.complete, [id, owner])) === 1,
    retryLater: async (id, owner, notBefore, error) => (await changed(sql.retryLater, [id, owner, toTime(notBefore, 'notBefore'), error])) === 1,
    markDead: async (id, owner, error) => (await changed(sql.markDead, [id, owner, error])) === 1,
    async deferConversation(conversationKey, until) {
      assertOpen();
      const at = toTime(until, 'until');
      await database.transaction(async (tx) => {
        await tx.run(sql.pause, [conversationKey, at]);
        await tx.run(sql.deferRows, [conversationKey, at]);
      });
    },
    dropConversation: (conversationKey, reason) => changed(sql.drop, [conversationKey, reason]),
    listDead: (limit) => rows(sql.listDead, [toLimit(limit)]),
    async replayDead(ids) {
      assertOpen();
      if (ids?.length === 0) return 0;
      return changed(sql.replayDead, [ids ? JSON.stringify(ids) : null]);
    },
    async counts() {
      assertOpen();
      return toCounts(await database.all<{ state: string; count: number }>(sql.counts));
    },
    listConversation: (conversationKey) => rows(sql.listConversation, [conversationKey]),
  };
}

/** better-sqlite3 names the constraint (SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY…). */
function isConstraintError(error: unknown): boolean {
  return String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT');
}
