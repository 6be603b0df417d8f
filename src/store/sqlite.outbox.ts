/**
 * The event store and outbox on the SQLite store's own connection. Every write runs in a BEGIN IMMEDIATE
 * transaction (the connection's shared commit): the file's single write lock serialises it against every
 * other connection and process.
 */
import type { EventStore, Outbox } from '../core/events/event-store.port.ts';
import type { BackendOptions } from './store-support.ts';
import type { SqliteDatabase } from './sqlite-database.ts';
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

/**
 * One event and its rows are one write in the connection's shared commit (sqlite-database.ts): all of
 * the events that arrive during one turn of the event loop share one transaction, each inside its own
 * savepoint, so a refused event writes nothing and takes nothing else down with it.
 */
function createEvents({ database, sql, assertOpen }: Context): EventStore {
  return {
    async recordEvent(event, messages) {
      assertOpen();
      const receivedAt = assertRecordable(event, messages);
      try {
        return await database.write((tx) => {
          // The dedupe key's unique index decides; a refused event writes nothing, rows included.
          const stored = tx.get(sql.insertEvent, [event.id, event.dedupeKey, event.kind, JSON.stringify(event.body), receivedAt]) !== undefined;
          if (stored) for (const message of messages) tx.run(sql.insertRow, [message.id, event.id, message.conversationKey, JSON.stringify(message.payload), receivedAt]);
          return stored;
        });
      } catch (error) {
        throw isConstraintError(error) ? toConflictError(error) : error;
      }
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
      if (!(await database.get(sql.anyDue, [claim.now]))) return [];
      // One UPDATE decides and writes, inside the shared commit's BEGIN IMMEDIATE: no other connection can
      // commit a claim between its "no live claim in this conversation" check and its write.
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
      await database.run(sql.pause, [conversationKey, at]);
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
