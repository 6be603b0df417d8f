import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createStore } from '../../src/store/create-store.ts';

describe('createStore URLs', () => {
  let directory: string;

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'create-store-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('when the scheme is unknown, then it rejects with one line naming the allowed schemes and no password', async () => {
    await assert.rejects(createStore('mysql://admin:s3cret-pw@db.example.com/bot'), (error: Error) => {
      assert.match(error.message, /"mysql:\/\/"/);
      for (const scheme of ['sqlite://', 'redis://', 'rediss://', 'postgres://', 'postgresql://']) {
        assert.ok(error.message.includes(scheme), `mentions ${scheme}: ${error.message}`);
      }
      assert.ok(!error.message.includes('s3cret-pw'));
      assert.ok(!error.message.includes('admin'));
      assert.ok(!error.message.includes('\n'));
      return true;
    });
  });

  it('when the URL has no scheme, then it rejects without echoing the URL', async () => {
    await assert.rejects(createStore('admin:s3cret-pw@localhost'), (error: Error) => {
      assert.match(error.message, /without a scheme/);
      assert.ok(!error.message.includes('s3cret-pw'));
      return true;
    });
  });

  it('when the prefix is not a plain identifier, then it rejects before touching the backend', async () => {
    await assert.rejects(createStore('sqlite://:memory:', { prefix: 'x; DROP TABLE users' }), /prefix/i);
  });

  it('when the SQLite path is relative and its folder is missing, then the folder is created under the working directory', async () => {
    const file = path.join(directory, 'nested', 'deeper', 'bot.sqlite');
    const store = await createStore(`sqlite://${path.relative(process.cwd(), file)}`);
    try {
      assert.ok(existsSync(file));
      assert.equal(await store.claimOnce('relative', 1000), true);
    } finally {
      await store.close();
    }
  });

  it('when the SQLite URL is :memory:, then the store works without a file', async () => {
    const store = await createStore('sqlite://:memory:');
    try {
      await store.namespace<string>('memory').set('key', 'value');
      assert.equal(await store.namespace<string>('memory').get('key'), 'value');
      assert.equal(await store.claimOnce('memory', 1000), true);
      assert.equal(await store.claimOnce('memory', 1000), false);
    } finally {
      await store.close();
    }
  });

  it('when a namespace name or a ttl is malformed, then the call is refused instead of storing something odd', async () => {
    const store = await createStore('sqlite://:memory:');
    try {
      assert.throws(() => store.namespace('has space'), /Invalid store namespace/);
      assert.throws(() => store.namespace(''), /Invalid store namespace/);
      await assert.rejects(store.namespace('ok').set('key', 'value', 0), RangeError);
      await assert.rejects(store.claimOnce('key', -5), RangeError);
      await assert.rejects(store.acquireLease('lease', 'owner', Number.NaN), RangeError);
    } finally {
      await store.close();
    }
  });
});
