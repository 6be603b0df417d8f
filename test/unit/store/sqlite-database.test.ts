import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteDatabase, type SqliteDatabase } from '../../../src/store/sqlite-database.ts';

describe('SQLite database wrapper', () => {
  let folder: string;
  let file: string;
  let database: SqliteDatabase;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'sqlite-database-'));
    file = path.join(folder, 'db.sqlite');
    database = await openSqliteDatabase(file, { busyTimeoutMs: 1000 });
    await database.exec('CREATE TABLE items (name TEXT PRIMARY KEY)');
  });
  afterEach(async () => {
    await database.close();
    await rm(folder, { recursive: true, force: true });
  });

  const names = async () => (await database.all<{ name: string }>('SELECT name FROM items ORDER BY name')).map((row) => row.name);
  const isConstraint = (error: { code?: string }) => error.code?.startsWith('SQLITE_CONSTRAINT') === true;
  /** Commits SQLite has seen on the file: the data_version of ANOTHER connection moves once per commit. */
  const watchCommits = () => {
    const other = new Database(file, { readonly: true });
    const version = () => other.pragma('data_version', { simple: true }) as number;
    const start = version();
    return { count: () => version() - start, close: () => other.close() };
  };

  it('when a write throws, then only its own statements are undone and the others in the same commit stay', async () => {
    const results = await Promise.allSettled([
      database.write((tx) => tx.run('INSERT INTO items VALUES (?1), (?2)', ['a', 'b'])),
      database.write((tx) => {
        tx.run('INSERT INTO items VALUES (?1)', ['c']);
        return tx.run('INSERT INTO items VALUES (?1)', ['a']); // primary key clash
      }),
      database.run('INSERT INTO items VALUES (?1)', ['d']),
    ]);
    assert.deepEqual(results[0], { status: 'fulfilled', value: 2 });
    assert.equal(results[1].status === 'rejected' && isConstraint(results[1].reason as { code?: string }), true);
    assert.deepEqual(results[2], { status: 'fulfilled', value: 1 });
    assert.deepEqual(await names(), ['a', 'b', 'd']);
  });

  it('when writes are asked for in the same turn, then they share one commit; a later turn gets its own', async () => {
    const commits = watchCommits();
    try {
      await Promise.all(['a', 'b', 'c', 'd'].map((name) => database.run('INSERT INTO items VALUES (?1)', [name])));
      assert.equal(commits.count(), 1);
      await database.run('INSERT INTO items VALUES (?1)', ['e']);
      assert.equal(commits.count(), 2);
    } finally {
      commits.close();
    }
  });

  it('when a write resolves, then another connection already sees it (the promise waits for the commit)', async () => {
    const other = new Database(file, { readonly: true });
    try {
      await database.run('INSERT INTO items VALUES (?1)', ['seen']);
      assert.deepEqual(other.prepare('SELECT name FROM items').all(), [{ name: 'seen' }]);
    } finally {
      other.close();
    }
  });

  it('when a write has RETURNING, then get and all go through the commit and return its rows', async () => {
    const row = await database.get<{ name: string }>('INSERT INTO items VALUES (?1) RETURNING name', ['x']);
    assert.deepEqual(row, { name: 'x' });
    assert.equal(await database.run('DELETE FROM items WHERE name = ?1 RETURNING name', ['x']), 1);
    assert.deepEqual(await names(), []);
  });

  it('when another process holds the write lock past the busy timeout, then the queued writes fail and store nothing', async () => {
    const blocker = new Database(file);
    blocker.exec('BEGIN IMMEDIATE');
    const slow = await openSqliteDatabase(file, { busyTimeoutMs: 50 });
    try {
      await assert.rejects(slow.run('INSERT INTO items VALUES (?1)', ['blocked']), (error: { code?: string }) => error.code === 'SQLITE_BUSY');
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
      await slow.close();
    }
    assert.deepEqual(await names(), []);
  });

  it('when closed with writes queued, then they are committed first; later writes are refused', async () => {
    const queued = database.run('INSERT INTO items VALUES (?1)', ['last']);
    await database.close();
    assert.equal(await queued, 1);
    await assert.rejects(database.run('INSERT INTO items VALUES (?1)', ['late']), /closed/);
    database = await openSqliteDatabase(file, { busyTimeoutMs: 1000 });
    assert.deepEqual(await names(), ['last']);
  });

  it('when writes pile up in the WAL, then the checkpoint thread copies them into the database file', async () => {
    const { statSync } = await import('node:fs');
    const before = statSync(file).size;
    const body = 'x'.repeat(2000);
    await database.exec('CREATE TABLE blobs (body TEXT)');
    await Promise.all(Array.from({ length: 200 }, () => database.run('INSERT INTO blobs VALUES (?1)', [body])));
    const deadline = Date.now() + 5_000;
    while (statSync(file).size < before + 200 * 2000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(statSync(file).size >= before + 200 * 2000, `the database file stayed at ${statSync(file).size} bytes`);
  });

  it('when writes never stop, then the WAL is started over once it passes its limit instead of growing', async () => {
    const { statSync } = await import('node:fs');
    await database.close();
    database = await openSqliteDatabase(file, { busyTimeoutMs: 1000, walRestartFrames: 50 });
    await database.exec('CREATE TABLE blobs (body TEXT)');
    const body = 'x'.repeat(3000);
    const started = Date.now();
    // About 1.5 s of steady commits: every checkpoint pass of the thread finds new frames behind it.
    while (Date.now() - started < 1_500) {
      await Promise.all(Array.from({ length: 20 }, () => database.run('INSERT INTO blobs VALUES (?1)', [body])));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const written = (await database.get<{ n: number }>('SELECT count(*) AS n FROM blobs'))?.n ?? 0;
    const walBytes = statSync(`${file}-wal`).size;
    assert.ok(walBytes < (written * 3000) / 2, `the WAL holds ${walBytes} bytes after ${written} rows of 3 KB`);
  });

  it('when parameters are booleans or undefined, then they are stored as 1/0 and NULL', async () => {
    await database.exec('CREATE TABLE flags (flag INTEGER, note TEXT)');
    await database.run('INSERT INTO flags VALUES (?1, ?2), (?3, ?4)', [true, undefined, false, 'x']);
    assert.deepEqual(await database.all('SELECT flag, note FROM flags ORDER BY flag'), [
      { flag: 0, note: 'x' },
      { flag: 1, note: null },
    ]);
  });
});
