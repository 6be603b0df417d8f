/**
 * One contract for the Store port, run against every backend on a real server: SQLite in a temp file,
 * Redis at TEST_REDIS_URL and PostgreSQL at TEST_POSTGRES_URL.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock, Lease, Store } from '../../src/core/ports.ts';
import { createStore } from '../../src/store/create-store.ts';
import { requireService } from '../support/services.ts';
import { SECRET, createStoreBackends, createTestPrefix, type StoreBackend } from './store-backends.ts';
import { startTcpProxy } from './tcp-proxy.ts';

const RACERS = 50;
const STORES_IN_RACE = 5;
/** How long a dead backend may take to make createStore or ping reject. */
const FAIL_FAST_MS = 5000;

interface FakeClock extends Clock {
  advance(ms: number): void;
}

function createFakeClock(): FakeClock {
  let now = 1_700_000_000_000;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

async function assertRejectsWithin(promise: Promise<unknown>, ms: number): Promise<Error> {
  const started = Date.now();
  const error = await promise.then(
    () => assert.fail('expected a rejection'),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof Error, 'rejects with an Error');
  assert.ok(Date.now() - started < ms, `rejected after ${Date.now() - started} ms, limit ${ms} ms`);
  return error;
}

describe('Store contract', () => {
  for (const backend of createStoreBackends()) describeStoreContract(backend);
});

function describeStoreContract(backend: StoreBackend): void {
  describe(`${backend.name} store`, function () {
    const suitePrefix = createTestPrefix();
    const prefixes = [suitePrefix];
    let opened: Store[] = [];
    let ready = false;
    let clock: FakeClock;
    let store: Store;

    const open = async (options: { prefix?: string; url?: string } = {}): Promise<Store> => {
      const created = await createStore(options.url ?? backend.url(), { clock, prefix: options.prefix ?? suitePrefix });
      opened.push(created);
      return created;
    };
    const openRacers = async (): Promise<Store[]> => {
      const prefix = createTestPrefix();
      prefixes.push(prefix);
      // Opened together on a fresh prefix: table creation itself must survive concurrent starts.
      return Promise.all(Array.from({ length: STORES_IN_RACE }, () => open({ prefix })));
    };
    /** Lets `ms` pass for the backend: the injected clock for SQL, real time for Redis' server-side expiry. */
    const letPass = async (ms: number): Promise<void> => {
      clock.advance(ms + 1);
      if (!backend.followsInjectedClock) await sleep(ms + 50);
    };
    const key = (label: string): string => `${label}-${randomUUID()}`;

    before(async function () {
      if (backend.serviceUrl) await requireService(this, backend.serviceUrl);
      await backend.setUp();
      ready = true;
    });
    beforeEach(async () => {
      clock = createFakeClock();
      store = await open();
    });
    afterEach(async () => {
      await Promise.all(opened.map((each) => each.close()));
      opened = [];
    });
    after(async () => {
      if (ready) await backend.cleanUp(prefixes);
    });

    describe('key-value namespaces', () => {
      it('when a value is set, then get returns it, and after delete it is gone', async () => {
        const settings = store.namespace<{ locale: string; count: number }>('settings');
        const id = key('conversation');
        assert.equal(await settings.get(id), undefined);
        await settings.set(id, { locale: 'de', count: 2 });
        assert.deepEqual(await settings.get(id), { locale: 'de', count: 2 });
        await settings.set(id, { locale: 'en', count: 3 });
        assert.deepEqual(await settings.get(id), { locale: 'en', count: 3 });
        assert.equal(await settings.delete(id), true);
        assert.equal(await settings.get(id), undefined);
        assert.equal(await settings.delete(id), false);
      });

      it('when two namespaces use the same key, then each keeps its own value', async () => {
        const id = key('shared');
        const references = store.namespace<string>('references');
        const snapshots = store.namespace<string>('snapshots');
        await references.set(id, 'reference');
        await snapshots.set(id, 'snapshot');
        assert.equal(await references.get(id), 'reference');
        assert.equal(await snapshots.get(id), 'snapshot');
        await references.delete(id);
        assert.equal(await references.get(id), undefined);
        assert.equal(await snapshots.get(id), 'snapshot');
      });

      it('when namespace() is asked twice for a name, then it returns the same cached instance', () => {
        assert.equal(store.namespace('cached'), store.namespace('cached'));
        assert.notEqual(store.namespace('cached'), store.namespace('other'));
      });

      it('when a second store opens the same backend, then it reads what the first wrote', async () => {
        const other = await open();
        const id = key('visible');
        await store.namespace<number[]>('shared').set(id, [1, 2, 3]);
        assert.deepEqual(await other.namespace<number[]>('shared').get(id), [1, 2, 3]);
      });

      it('when a value is set with a ttl, then it is there before and gone after the ttl', async () => {
        const cache = store.namespace<string>('cache');
        const id = key('short-lived');
        await cache.set(id, 'soon gone', 150);
        await cache.set(`${id}-kept`, 'kept');
        assert.equal(await cache.get(id), 'soon gone');
        await sleep(400); // keyv checks expiry against real time, whatever clock the store was given
        assert.equal(await cache.get(id), undefined);
        assert.equal(await cache.get(`${id}-kept`), 'kept');
      });
    });

    describe('claimOnce', () => {
      it('when a key is claimed, then only the first claim wins until the ttl has passed, then one more wins', async () => {
        const id = key('event');
        assert.equal(await store.claimOnce(id, 200), true);
        assert.equal(await store.claimOnce(id, 200), false);
        assert.equal(await store.claimOnce(key('another-event'), 200), true);
        await letPass(200);
        assert.equal(await store.claimOnce(id, 200), true);
        assert.equal(await store.claimOnce(id, 200), false);
      });

      it(`when ${RACERS} claims race from ${STORES_IN_RACE} stores, then exactly one wins`, async () => {
        const stores = await openRacers();
        const id = key('raced-event');
        const results = await Promise.all(
          Array.from({ length: RACERS }, (_, index) => stores[index % STORES_IN_RACE]!.claimOnce(id, 60_000)),
        );
        assert.equal(results.filter(Boolean).length, 1);
      });
    });

    describe('leases', () => {
      it('when a free lease is acquired, then it carries the owner, a token and the expiry', async () => {
        const name = key('poller');
        const lease = await store.acquireLease(name, 'replica-a', 1000);
        assert.ok(lease);
        assert.equal(lease.name, name);
        assert.equal(lease.owner, 'replica-a');
        assert.equal(lease.token, 1);
        assert.equal(lease.expiresAt, clock.now() + 1000);
      });

      it('when the lease is held, then another owner gets null and the holder extends it with the same token', async () => {
        const name = key('poller');
        const first = await store.acquireLease(name, 'replica-a', 1000);
        assert.ok(first);
        assert.equal(await store.acquireLease(name, 'replica-b', 1000), null);
        clock.advance(500);
        const again = await store.acquireLease(name, 'replica-a', 1000);
        assert.deepEqual(again, { ...first, expiresAt: clock.now() + 1000 });
        const renewed = await store.renewLease(first, 2000);
        assert.deepEqual(renewed, { ...first, expiresAt: clock.now() + 2000 });
        assert.equal(await store.acquireLease(name, 'replica-b', 1000), null);
      });

      it('when the holder releases, then the next owner gets a larger token and the old lease can neither renew nor release', async () => {
        const name = key('outbox');
        const a = await store.acquireLease(name, 'replica-a', 60_000);
        assert.ok(a);
        await store.releaseLease(a);
        const b = await store.acquireLease(name, 'replica-b', 60_000);
        assert.ok(b);
        assert.ok(b.token > a.token, `token ${b.token} should exceed ${a.token}`);
        assert.equal(await store.renewLease(a, 60_000), null);
        await store.releaseLease(a);
        assert.equal(await store.acquireLease(name, 'replica-c', 60_000), null, 'stale release must not free it');
        await store.releaseLease(b);
        const aAgain = await store.acquireLease(name, 'replica-a', 60_000);
        assert.ok(aAgain);
        assert.ok(aAgain.token > b.token, 'a release and re-take is a handover too');
        assert.equal(await store.renewLease(a, 60_000), null, 'same owner, stale token');
        await store.releaseLease(a);
        assert.equal(await store.acquireLease(name, 'replica-c', 60_000), null, 'stale token must not free it');
      });

      it('when a lease expired and another owner took it, then the old holder cannot renew or release it', async () => {
        const name = key('poller');
        const a = await store.acquireLease(name, 'replica-a', 200);
        assert.ok(a);
        await letPass(200);
        const b = await store.acquireLease(name, 'replica-b', 60_000);
        assert.ok(b, 'an expired lease is free');
        assert.ok(b.token > a.token);
        assert.equal(await store.renewLease(a, 60_000), null);
        await store.releaseLease(a);
        assert.equal(await store.acquireLease(name, 'replica-a', 60_000), null);
        assert.deepEqual(await store.renewLease(b, 60_000), { ...b, expiresAt: clock.now() + 60_000 });
      });

      it('when a lease expired and nobody took it, then renew fails and re-acquiring gives a new token', async () => {
        const name = key('poller');
        const a = await store.acquireLease(name, 'replica-a', 200);
        assert.ok(a);
        await letPass(200);
        assert.equal(await store.renewLease(a, 1000), null);
        const again = await store.acquireLease(name, 'replica-a', 1000);
        assert.ok(again);
        assert.ok(again.token > a.token);
      });

      it(`when ${RACERS} owners race for a free lease from ${STORES_IN_RACE} stores, then exactly one gets it`, async () => {
        const stores = await openRacers();
        const name = key('raced-lease');
        const results = await Promise.all(
          Array.from({ length: RACERS }, (_, index) =>
            stores[index % STORES_IN_RACE]!.acquireLease(name, `replica-${index}`, 60_000),
          ),
        );
        const winners = results.filter((lease): lease is Lease => lease !== null);
        assert.equal(winners.length, 1);
        assert.equal(winners[0]!.token, 1);
      });
    });

    describe('lifecycle', () => {
      it('when the backend answers, then ping resolves', async () => {
        await assert.doesNotReject(store.ping());
      });

      it('when the store is closed, then ping and every operation reject, and close is idempotent', async () => {
        const values = store.namespace<string>('after-close');
        await store.close();
        await store.close();
        await assertRejectsWithin(store.ping(), FAIL_FAST_MS);
        await assertRejectsWithin(values.get('anything'), FAIL_FAST_MS);
        await assertRejectsWithin(store.claimOnce(key('late'), 1000), FAIL_FAST_MS);
        await assertRejectsWithin(store.acquireLease(key('late'), 'replica-a', 1000), FAIL_FAST_MS);
      });

      it('when the URL points at nothing, then createStore rejects fast without leaking the password', async () => {
        const error = await assertRejectsWithin(createStore(backend.unreachableUrl(), { prefix: suitePrefix }), FAIL_FAST_MS);
        assert.ok(!error.message.includes(SECRET), error.message);
        assert.ok(!String((error as { stack?: string }).stack).includes(SECRET));
      });

      if (backend.urlVia) {
        const urlVia = backend.urlVia;
        it('when the backend goes away after start, then ping rejects within seconds', async () => {
          const target = new URL(backend.url());
          const proxy = await startTcpProxy(target.hostname, Number(target.port));
          try {
            const proxied = await open({ url: urlVia('127.0.0.1', proxy.port) });
            await proxied.ping();
            await proxy.close();
            await assertRejectsWithin(proxied.ping(), FAIL_FAST_MS);
          } finally {
            await proxy.close();
          }
        });
      }
    });
  });
}
