/**
 * keyv's storage adapter on the SQLite store's own connection. @keyv/sqlite opened a second connection
 * on the callback driver, whose writes then had to take turns with the outbox's transactions; on one
 * connection they simply do. Same table layout as @keyv/sqlite (key PRIMARY KEY, value TEXT), so files
 * written before keep working. keyv serialises values and keeps the expiry inside them. Only what keyv
 * requires is here: the store's KeyValue port reads and writes one key at a time.
 */
import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter } from 'keyv';
import type { SqliteDatabase } from './sqlite-database.ts';

export function keyvTableSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (key VARCHAR(255) PRIMARY KEY, value TEXT);`;
}

interface ValueRow {
  key: string;
  value: string;
}

export class SqliteKeyvAdapter extends EventEmitter implements KeyvStoreAdapter {
  readonly opts: { table: string; dialect: 'sqlite' };
  namespace?: string;
  private readonly sql: ReturnType<typeof toSql>;

  constructor(
    private readonly database: SqliteDatabase,
    table: string,
  ) {
    super();
    this.opts = { table, dialect: 'sqlite' };
    this.sql = toSql(table);
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    const row = await this.database.get<ValueRow>(this.sql.get, [key]);
    return row?.value as Value | undefined;
  }

  async set(key: string, value: unknown): Promise<boolean> {
    await this.database.run(this.sql.set, [key, value]);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return (await this.database.run(this.sql.delete, [key])) > 0;
  }

  async clear(): Promise<void> {
    // keyv's keys are `namespace:key`; `_` and `%` in a namespace are LIKE wildcards, hence the ESCAPE.
    const pattern = this.namespace ? `${this.namespace.replace(/[\\%_]/g, (c) => `\\${c}`)}:%` : '%';
    await this.database.run(this.sql.clear, [pattern]);
  }

  /** The connection belongs to the store, which closes it. */
  async disconnect(): Promise<void> {}
}

function toSql(table: string) {
  return {
    get: `SELECT key, value FROM ${table} WHERE key = ?1`,
    set: `INSERT INTO ${table} (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    delete: `DELETE FROM ${table} WHERE key = ?1`,
    clear: `DELETE FROM ${table} WHERE key LIKE ?1 ESCAPE '\\'`,
  };
}
