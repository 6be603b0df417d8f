import assert from 'node:assert/strict';
import Database from 'better-sqlite3';

/**
 * Everything the bot has stored, read from its SQLite file on a separate read-only connection: every row of
 * every table, as one comparable string. Leases are left out: the outbox worker and the reconciliation
 * renew theirs on a timer whatever the requests do. `ignore` drops more table suffixes (e.g. `claims`).
 */
export async function snapshotStore(file: string, ignore: readonly string[] = []): Promise<string> {
  const skipped = ['leases', ...ignore];
  const database = new Database(file, { readonly: true });
  const all = <Row>(sql: string) => database.prepare(sql).all() as Row[];
  try {
    const tables = all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    const kept = tables.map((table) => table.name).filter((name) => !skipped.some((suffix) => name.endsWith(`_${suffix}`)));
    const dump: Record<string, string[]> = {};
    for (const name of kept) dump[name] = all<Record<string, unknown>>(`SELECT * FROM "${name}"`).map((row) => JSON.stringify(row)).sort();
    return JSON.stringify(dump, null, 1);
  } finally {
    database.close();
  }
}

/** Row counts per table: a short description of a snapshot for assertion messages. */
export function describeSnapshot(snapshot: string): string {
  const dump = JSON.parse(snapshot) as Record<string, string[]>;
  return Object.entries(dump)
    .map(([name, rows]) => `${name}=${rows.length}`)
    .join(' ');
}

/**
 * The store once it has stopped changing: the bot under test runs in this process and writes what earlier
 * requests left behind (group-committed at the end of an event-loop turn, or after a reply), so a snapshot
 * taken at once could catch those writes half done and blame them on the next request.
 */
async function settledSnapshot(file: string, ignore: readonly string[]): Promise<string> {
  let previous = await snapshotStore(file, ignore);
  for (let attempt = 0; attempt < 40; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const current = await snapshotStore(file, ignore);
    if (current === previous) return current;
    previous = current;
  }
  return previous;
}

/** Runs `act` between two snapshots of the store in `file`. */
export async function observeStore<T>(file: string, act: () => Promise<T>, ignore: readonly string[] = []): Promise<{ result: T; changed: boolean; change: string }> {
  const before = await settledSnapshot(file, ignore);
  const result = await act();
  const after = await settledSnapshot(file, ignore);
  return { result, changed: after !== before, change: `${describeSnapshot(before)} → ${describeSnapshot(after)}` };
}

/** Runs `act` and fails when it changed anything the store holds; resolves with what `act` resolved with. */
export async function assertStoreUnchanged<T>(file: string, act: () => Promise<T>, ignore: readonly string[] = []): Promise<T> {
  const { result, changed, change } = await observeStore(file, act, ignore);
  assert.ok(!changed, `the store changed: ${change}`);
  return result;
}
