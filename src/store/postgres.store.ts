/** The Store on PostgreSQL: one pg Pool shared by keyv, by the claim and lease upserts and by the outbox. */
import KeyvPostgres from '@keyv/postgres';
import { Keyv } from 'keyv';
import pg from 'pg';
import type { Lease } from '../core/ports.ts';
import type { BotStore } from './bot-store.ts';
import { createNamespaces } from './keyv-namespaces.ts';
import { createPostgresOutbox, postgresOutboxTables } from './postgres.outbox.ts';
import { CONNECT_TIMEOUT_MS, PING_TIMEOUT_MS, createClosedGuard, toTtlMs, toUnreachableError, withTimeout, type BackendOptions } from './store-support.ts';

/** Expired claims are dead rows; deleting them hourly keeps the table as small as the dedupe window. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

interface LeaseRow {
  owner: string;
  token: string; // BIGINT arrives as a string from pg
  expires_at: string;
}

export async function createPostgresStore(url: string, options: BackendOptions): Promise<BotStore> {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, max: 10 });
  // An idle client losing its server emits here; without a listener that would crash the process. The
  // pool drops that client and the next query connects afresh (or rejects), which is where it matters.
  pool.on('error', () => undefined);
  const sql = toSql(options.prefix);
  try {
    await createTables(pool, options.prefix, sql.createTables + postgresOutboxTables(options.prefix));
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw toUnreachableError(url, error);
  }

  const guard = createClosedGuard('PostgreSQL');
  let nextPurgeAt = 0;
  const queryRows = async <Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<Row[]> => {
    guard.assertOpen();
    return (await pool.query<Row>(text, values)).rows;
  };
  const toLease = (name: string, row: LeaseRow | undefined): Lease | null =>
    row ? { name, owner: row.owner, token: Number(row.token), expiresAt: Number(row.expires_at) } : null;

  return {
    ...createPostgresOutbox(pool, options, guard.assertOpen),
    namespace: createNamespaces((name) => new Keyv(createKeyvAdapter(pool, `${options.prefix}_keyv`), { namespace: name }), guard.assertOpen),

    async claimOnce(key, ttlMs) {
      const now = options.now();
      if (now >= nextPurgeAt) {
        nextPurgeAt = now + PURGE_INTERVAL_MS;
        await queryRows(sql.purgeClaims, [now]);
      }
      return (await queryRows(sql.claim, [key, now + toTtlMs(ttlMs), now])).length === 1;
    },

    async acquireLease(name, owner, ttlMs) {
      const now = options.now();
      return toLease(name, (await queryRows<LeaseRow>(sql.acquire, [name, owner, now + toTtlMs(ttlMs), now]))[0]);
    },

    async renewLease(lease, ttlMs) {
      const now = options.now();
      const rows = await queryRows<LeaseRow>(sql.renew, [lease.name, lease.owner, lease.token, now + toTtlMs(ttlMs), now]);
      return toLease(lease.name, rows[0]);
    },

    async releaseLease(lease) {
      await queryRows(sql.release, [lease.name, lease.owner, lease.token]);
    },

    async ping() {
      await withTimeout(queryRows('SELECT 1', []), PING_TIMEOUT_MS, 'PostgreSQL ping');
    },

    close: () => guard.close(() => pool.end()),
  };
}

/**
 * @keyv/postgres keeps ONE module-wide pool per URI and `disconnect()` ends it for every adapter in the
 * process, so two stores (or tests) would close each other's connections. Overriding `connect()` (which
 * its constructor calls) routes every adapter to this store's pool instead; the store ends the pool.
 */
function createKeyvAdapter(pool: pg.Pool, table: string): KeyvPostgres {
  class PooledKeyvPostgres extends KeyvPostgres {
    override async connect() {
      return async (text: string, values?: unknown[]) => (await pool.query(text, values)).rows;
    }
    override async disconnect() {}
  }
  const adapter = new PooledKeyvPostgres({ table });
  adapter.on('error', () => undefined); // failures also reject the call that hit them; an unheard 'error' would crash
  return adapter;
}

/** Concurrent starts race on CREATE TABLE IF NOT EXISTS (duplicate pg_type rows); an advisory lock serialises them. */
async function createTables(pool: pg.Pool, prefix: string, ddl: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${prefix}:create-tables`]);
    await client.query(ddl);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Same statements and token rules as the SQLite backend, with RETURNING telling who won. */
function toSql(prefix: string) {
  const claims = `${prefix}_claims`;
  const leases = `${prefix}_leases`;
  return {
    // The keyv table is created here too (the adapter's own CREATE is then a no-op) so that it gets TEXT
    // keys instead of the adapter's VARCHAR(255): Teams conversation ids plus a namespace can be longer.
    createTables: `
      CREATE TABLE IF NOT EXISTS ${prefix}_keyv (key TEXT PRIMARY KEY, value TEXT);
      CREATE TABLE IF NOT EXISTS ${claims} (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
      CREATE TABLE IF NOT EXISTS ${leases} (name TEXT PRIMARY KEY, owner TEXT, token BIGINT NOT NULL, expires_at BIGINT NOT NULL);`,
    purgeClaims: `DELETE FROM ${claims} WHERE expires_at <= $1`,
    claim: `
      INSERT INTO ${claims} AS c (key, expires_at) VALUES ($1, $2)
      ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE c.expires_at <= $3
      RETURNING 1`,
    acquire: `
      INSERT INTO ${leases} AS l (name, owner, token, expires_at) VALUES ($1, $2, 1, $3)
      ON CONFLICT (name) DO UPDATE SET
        token = CASE WHEN l.owner = excluded.owner AND l.expires_at > $4 THEN l.token ELSE l.token + 1 END,
        owner = excluded.owner,
        expires_at = excluded.expires_at
      WHERE l.owner IS NULL OR l.owner = excluded.owner OR l.expires_at <= $4
      RETURNING owner, token, expires_at`,
    renew: `
      UPDATE ${leases} SET expires_at = $4
      WHERE name = $1 AND owner = $2 AND token = $3 AND expires_at > $5
      RETURNING owner, token, expires_at`,
    // Keeps the row so the token survives: a later holder must get a larger one.
    release: `UPDATE ${leases} SET owner = NULL, expires_at = 0 WHERE name = $1 AND owner = $2 AND token = $3`,
  };
}
