import { strict as assert } from 'node:assert';
import { Keyv } from 'keyv';
import { openSqliteDatabase, type SqliteDatabase } from '../../../src/store/sqlite-database.ts';
import { keyvTableSql, SqliteKeyvAdapter } from '../../../src/store/sqlite-keyv-adapter.ts';

describe('keyv on the SQLite store connection', () => {
  let database: SqliteDatabase;
  const keyvFor = (namespace: string) => new Keyv(new SqliteKeyvAdapter(database, 'kv'), { namespace });

  beforeEach(async () => {
    database = await openSqliteDatabase(':memory:', { busyTimeoutMs: 1000 });
    await database.exec(keyvTableSql('kv'));
  });
  afterEach(() => database.close());

  it('when values are set, read and deleted, then keyv sees them as stored, expiry included', async () => {
    const keyv = keyvFor('a');
    await keyv.set('k', { n: 1 });
    await keyv.set('short', 'x', 1);
    assert.deepEqual(await keyv.get('k'), { n: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(await keyv.get('short'), undefined);
    assert.equal(await keyv.delete('k'), true);
    assert.equal(await keyv.delete('k'), false);
    assert.equal(await keyv.get('k'), undefined);
  });

  it('when one namespace is cleared, then only its keys go, even when its name holds LIKE wildcards', async () => {
    const wild = keyvFor('a_b');
    const other = keyvFor('axb');
    await wild.set('k', 1);
    await other.set('k', 2);
    await wild.clear();
    assert.equal(await wild.get('k'), undefined);
    assert.equal(await other.get('k'), 2);
  });
});
