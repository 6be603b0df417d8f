/** The Store on one SQLite file: keyv for key-value data, single-statement upserts for claims and leases, transactions for the outbox. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Keyv } from 'keyv';
import type { Lease } from '../core/ports.ts';
import type { BotStore } from './bot-store.ts';
import { createNamespaces } from './keyv-namespaces.ts';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite-database.ts';
import { keyvTableSql, SqliteKeyvAdapter } from './sqlite-keyv-adapter.ts';
import { createSqliteOutbox, sqliteOutboxTables } from './sqlite.outbox.ts';
import { createClosedGuard, toTtlMs, toUnreachableError, type BackendOptions } from './store-support.ts';

/** Writers from other processes queue this long before SQLITE_BUSY reaches the caller. */
const BUSY_TIMEOUT_MS = 5000;
/** Expired claims are dead rows; deleting them hourly keeps the table as small as the dedupe window. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

interface LeaseRow {
  owner: string;
  token: number;
  expires_at: number;
}

/** `location` is what follows `sqlite://`: a path relative to the working directory, absolute, or `:memory:`. */
export async function createSqliteStore(location: string, options: BackendOptions): Promise<BotStore> {
  const file = await preparePath(location);
  const sql = toSql(options.prefix);
  let database: SqliteDatabase;
  try {
    database = await openSqliteDatabase(file, { busyTimeoutMs: BUSY_TIMEOUT_MS, onCheckpointError: options.onBackgroundError });
  } catch (error) {
    throw toUnreachableError(`sqlite://${location}`, error);
  }
  const keyvTable = `${options.prefix}_keyv`;
  try {
    await database.exec(sql.createTables + sqliteOutboxTables(options.prefix) + keyvTableSql(keyvTable));
  } catch (error) {
    await database.close();
    throw toUnreachableError(`sqlite://${location}`, error);
  }

  const guard = createClosedGuard('SQLite');
  let nextPurgeAt = 0;
  const toLease = (name: string, row: LeaseRow | undefined): Lease | null =>
    row ? { name, owner: row.owner, token: Number(row.token), expiresAt: Number(row.expires_at) } : null;

  return {
    ...createSqliteOutbox(database, options, guard.assertOpen),
    // One adapter per namespace (they share the connection), so each one's clear() knows its namespace.
    namespace: createNamespaces((name) => new Keyv(new SqliteKeyvAdapter(database, keyvTable), { namespace: name }), guard.assertOpen),

    async claimOnce(key, ttlMs) {
      guard.assertOpen();
      const now = options.now();
      if (now >= nextPurgeAt) {
        nextPurgeAt = now + PURGE_INTERVAL_MS;
        await database.run(sql.purgeClaims, [now]);
      }
      return (await database.run(sql.claim, [key, now + toTtlMs(ttlMs), now])) === 1;
    },

    async acquireLease(name, owner, ttlMs) {
      guard.assertOpen();
      const now = options.now();
      return toLease(name, await database.get<LeaseRow>(sql.acquire, [name, owner, now + toTtlMs(ttlMs), now]));
    },

    async renewLease(lease, ttlMs) {
      guard.assertOpen();
      const now = options.now();
      const row = await database.get<LeaseRow>(sql.renew, [lease.name, lease.owner, lease.token, now + toTtlMs(ttlMs), now]);
      return toLease(lease.name, row);
    },

    async releaseLease(lease) {
      guard.assertOpen();
      await database.run(sql.release, [lease.name, lease.owner, lease.token]);
    },

    async ping() {
      guard.assertOpen();
      await database.get('SELECT 1');
    },

    close: () => guard.close(() => database.close()),
  };
}

async function preparePath(location: string): Promise<string> {
  if (location === ':memory:') return location;
  if (!location) throw new RangeError('sqlite:// needs a file path, for example sqlite://./data/bot.sqlite');
  const file = path.resolve(location);
  await mkdir(path.dirname(file), { recursive: true });
  return file;
}

/**
 * Every statement decides and writes in one step, so concurrent callers on any number of connections
 * cannot both win. A lease keeps its token only while its owner extends it before expiry; any other
 * take-over (new owner, or the old owner after expiry or release) bumps it, matching the Redis backend.
 */
function toSql(prefix: string) {
  const claims = `${prefix}_claims`;
  const leases = `${prefix}_leases`;
  return {
    createTables: `
      CREATE TABLE IF NOT EXISTS ${claims} (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS ${leases} (name TEXT PRIMARY KEY, owner TEXT, token INTEGER NOT NULL, expires_at INTEGER NOT NULL);`,
    purgeClaims: `DELETE FROM ${claims} WHERE expires_at <= ?1`,
    claim: `
      INSERT INTO ${claims} (key, expires_at) VALUES (?1, ?2)
      ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE ${claims}.expires_at <= ?3`,
    acquire: `
      INSERT INTO ${leases} (name, owner, token, expires_at) VALUES (?1, ?2, 1, ?3)
      ON CONFLICT (name) DO UPDATE SET
        token = CASE WHEN ${leases}.owner = excluded.owner AND ${leases}.expires_at > ?4
                     THEN ${leases}.token ELSE ${leases}.token + 1 END,
        owner = excluded.owner,
        expires_at = excluded.expires_at
      WHERE ${leases}.owner IS NULL OR ${leases}.owner = excluded.owner OR ${leases}.expires_at <= ?4
      RETURNING owner, token, expires_at`,
    renew: `
      UPDATE ${leases} SET expires_at = ?4
      WHERE name = ?1 AND owner = ?2 AND token = ?3 AND expires_at > ?5
      RETURNING owner, token, expires_at`,
    // Keeps the row so the token survives: a later holder must get a larger one.
    release: `UPDATE ${leases} SET owner = NULL, expires_at = 0 WHERE name = ?1 AND owner = ?2 AND token = ?3`,
  };
}
