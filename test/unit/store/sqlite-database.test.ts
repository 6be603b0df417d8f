import { strict as assert } from 'node:assert';
import { openSqliteDatabase, type SqliteDatabase } from '../../../src/store/sqlite-database.ts';

describe('SQLite database wrapper', () => {
  let database: SqliteDatabase;

  beforeEach(async () => {
    database = await openSqliteDatabase(':memory:', 1000);
    await database.exec('CREATE TABLE items (name TEXT PRIMARY KEY)');
  });
  afterEach(async () => {
    await database.close();
  });

  const names = async () => (await database.all<{ name: string }>('SELECT name FROM items ORDER BY name')).map((row) => row.name);

  it('when a transaction completes, then all its writes are there; when it throws, none are', async () => {
    assert.equal(await database.transaction(async (tx) => tx.run('INSERT INTO items VALUES (?1), (?2)', ['a', 'b'])), 2);
    await assert.rejects(
      database.transaction(async (tx) => {
        await tx.run('INSERT INTO items VALUES (?1)', ['c']);
        await tx.run('INSERT INTO items VALUES (?1)', ['a']); // primary key clash
      }),
      (error: { code?: string }) => error.code?.startsWith('SQLITE_CONSTRAINT') === true,
    );
    assert.deepEqual(await names(), ['a', 'b']);
  });

  it('when a statement is sent while a transaction is open, then it waits instead of joining (and dying with) it', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = database.transaction(async (tx) => {
      await tx.run('INSERT INTO items VALUES (?1)', ['inside']);
      await gate;
      throw new Error('rolled back');
    });
    const outside = database.run('INSERT INTO items VALUES (?1)', ['outside']);
    release();
    await assert.rejects(failing, /rolled back/);
    assert.equal(await outside, 1);
    assert.deepEqual(await names(), ['outside']);
  });
});
