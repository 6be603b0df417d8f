import assert from 'node:assert/strict';
import sqlite3 from 'sqlite3';

/**
 * Everything the bot has stored, read from its SQLite file on a separate read-only connection: every row of
 * every table, as one comparable string. Leases are left out: the outbox worker and the reconciliation
 * renew theirs on a timer whatever the requests do. `ignore` drops more table suffixes (e.g. `claims`).
 */
export async function snapshotStore(file: string, ignore: readonly string[] = []): Promise<string> {
  const skipped = ['leases', ...ignore];
  const database = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => (error ? reject(error) : resolve(opened)));
  });
  const all = <Row>(sql: string) => new Promise<Row[]>((resolve, reject) => database.all<Row>(sql, (error, rows) => (error ? reject(error) : resolve(rows))));
  try {
    const tables = await all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    const kept = tables.map((table) => table.name).filter((name) => !skipped.some((suffix) => name.endsWith(`_${suffix}`)));
    const dump: Record<string, string[]> = {};
    for (const name of kept) dump[name] = (await all<Record<string, unknown>>(`SELECT * FROM "${name}"`)).map((row) => JSON.stringify(row)).sort();
    return JSON.stringify(dump, null, 1);
  } finally {
    await new Promise<void>((resolve) => database.close(() => resolve()));
  }
}

/** Row counts per table: a short description of a snapshot for assertion messages. */
export function describeSnapshot(snapshot: string): string {
  const dump = JSON.parse(snapshot) as Record<string, string[]>;
  return Object.entries(dump)
    .map(([name, rows]) => `${name}=${rows.length}`)
    .join(' ');
}

/** Runs `act` between two snapshots of the store in `file`. */
export async function observeStore<T>(file: string, act: () => Promise<T>, ignore: readonly string[] = []): Promise<{ result: T; changed: boolean; change: string }> {
  const before = await snapshotStore(file, ignore);
  const result = await act();
  const after = await snapshotStore(file, ignore);
  return { result, changed: after !== before, change: `${describeSnapshot(before)} → ${describeSnapshot(after)}` };
}

/** Runs `act` and fails when it changed anything the store holds; resolves with what `act` resolved with. */
export async function assertStoreUnchanged<T>(file: string, act: () => Promise<T>, ignore: readonly string[] = []): Promise<T> {
  const { result, changed, change } = await observeStore(file, act, ignore);
  assert.ok(!changed, `the store changed: ${change}`);
  return result;
}
