/** The Outbox port on every real backend: pauses, dropped conversations, dead rows and replay, counts, sweeps. */
import { strict as assert } from 'node:assert';
import type { OutboxRow } from '../../src/core/events/event-store.port.ts';
import { DONE_RETENTION_MS } from '../../src/store/outbox-support.ts';
import { T0, describeOnEveryBackend, record } from './outbox-harness.ts';

const ids = (rows: readonly OutboxRow[]) => rows.map((row) => row.id);
const notBefores = (rows: readonly OutboxRow[]) => rows.map((row) => row.notBefore);

describeOnEveryBackend('Outbox flow', (harness) => {
  const outbox = () => harness.store().outbox;

  it('when a conversation is deferred, then none of its rows is due before until, including rows enqueued later', async () => {
    await record(harness.store(), 'e1', T0, [['a1', 'c:a'], ['b1', 'c:b'], ['a2', 'c:a']]);
    await outbox().deferConversation('c:a', T0 + 30_000);
    await outbox().deferConversation('c:a', T0 + 10_000); // never shortens a running pause
    assert.deepEqual(notBefores(await outbox().listConversation('c:a')), [T0 + 30_000, T0 + 30_000]);
    await record(harness.store(), 'e2', T0 + 5, [['a3', 'c:a']]);
    assert.deepEqual(ids(await outbox().claimDue('s', T0 + 29_999, 10, 1000)), ['b1'], 'other conversations go on');
    assert.equal((await outbox().listConversation('c:a'))[2]?.notBefore, T0 + 30_000, 'later rows respect the pause');
    assert.deepEqual(ids(await outbox().claimDue('s', T0 + 30_000, 10, 1000)), ['a1']);
  });

  it('when the row in flight hits a Retry-After, then its retry and its expiry both respect the pause', async () => {
    await record(harness.store(), 'e1', T0, [['a1', 'c:a'], ['a2', 'c:a']]);
    await outbox().claimDue('s', T0, 10, 1000);
    await outbox().deferConversation('c:a', T0 + 60_000);
    assert.deepEqual(await outbox().claimDue('other', T0 + 5000, 10, 1000), [], 'an expired claim waits for the pause too');
    assert.equal(await outbox().retryLater('a1', 's', T0 + 2000, 'HTTP 429'), true);
    assert.deepEqual(notBefores(await outbox().listConversation('c:a')), [T0 + 60_000, T0 + 60_000]);
    assert.deepEqual(await outbox().claimDue('s', T0 + 59_999, 10, 1000), []);
    assert.deepEqual(ids(await outbox().claimDue('s', T0 + 60_000, 10, 1000)), ['a1']);
  });

  it('when a conversation is dropped, then its pending rows die with the reason; the row in flight and others stay', async () => {
    await record(harness.store(), 'e1', T0, [['a1', 'c:a'], ['a2', 'c:a'], ['a3', 'c:a'], ['b1', 'c:b']]);
    await outbox().claimDue('s', T0, 1, 1000);
    assert.equal(await outbox().dropConversation('c:a', 'bot removed'), 2);
    assert.equal(await outbox().dropConversation('c:a', 'bot removed'), 0);
    const rows = await outbox().listConversation('c:a');
    assert.deepEqual(rows.map((row) => [row.id, row.state, row.lastError]), [
      ['a1', 'sending', undefined], ['a2', 'dead', 'bot removed'], ['a3', 'dead', 'bot removed'],
    ]);
    assert.equal(await outbox().complete('a1', 's'), true);
    assert.deepEqual(ids(await outbox().claimDue('s', T0, 10, 1000)), ['b1']);
  });

  it('when rows are dead, then listDead shows the oldest first and replayDead brings back the chosen ones with attempts reset', async () => {
    await record(harness.store(), 'e1', T0, [['a1', 'c:a'], ['b1', 'c:b'], ['c1', 'c:c']]);
    for (const row of await outbox().claimDue('s', T0, 10, 1000)) await outbox().markDead(row.id, 's', `failed ${row.id}`);
    assert.deepEqual(ids(await outbox().listDead(2)), ['a1', 'b1']);
    assert.deepEqual(await outbox().listDead(0), []);
    assert.equal(await outbox().replayDead(['b1', 'missing', 'b1']), 1);
    assert.equal(await outbox().replayDead([]), 0);
    const [replayed] = await outbox().listConversation('c:b');
    assert.deepEqual([replayed?.state, replayed?.attempts, replayed?.lastError], ['pending', 0, 'failed b1']);
    assert.deepEqual(ids(await outbox().listDead(10)), ['a1', 'c1']);
    assert.equal(await outbox().replayDead(), 2);
    assert.deepEqual(await outbox().counts(), { pending: 3, sending: 0, done: 0, dead: 0 });
    assert.deepEqual(ids(await outbox().claimDue('s', T0 + 1, 10, 1000)), ['a1', 'b1', 'c1']);
  });

  it('when a dead row of a paused conversation is replayed, then it waits for the pause', async () => {
    await record(harness.store(), 'e1', T0, [['a1', 'c:a']]);
    await outbox().claimDue('s', T0, 1, 1000);
    await outbox().markDead('a1', 's', 'HTTP 500');
    await outbox().deferConversation('c:a', T0 + 9000);
    assert.equal(await outbox().replayDead(['a1']), 1);
    assert.equal((await outbox().listConversation('c:a'))[0]?.notBefore, T0 + 9000);
    assert.deepEqual(await outbox().claimDue('s', T0 + 8999, 1, 1000), []);
  });

  it('when rows move through every state, then counts follows', async () => {
    await record(harness.store(), 'e1', T0, [['a1', 'c:a'], ['b1', 'c:b'], ['c1', 'c:c'], ['c2', 'c:c'], ['d1', 'c:d']]);
    await outbox().claimDue('s', T0, 3, 1000);
    await outbox().complete('a1', 's');
    await outbox().markDead('b1', 's', 'gone');
    assert.deepEqual(await outbox().counts(), { pending: 2, sending: 1, done: 1, dead: 1 });
  });

  it('when done rows are older than the retention, then the next sweep deletes them and keeps everything else', async () => {
    await record(harness.store(), 'e-old', T0, [['old-done', 'c:a'], ['old-dead', 'c:b'], ['old-pending', 'c:c']]);
    await record(harness.store(), 'e-new', T0 + DONE_RETENTION_MS, [['new-done', 'c:a']]);
    await outbox().claimDue('s', T0, 2, 1000);
    await outbox().complete('old-done', 's');
    await outbox().markDead('old-dead', 's', 'gone');
    assert.deepEqual(ids(await outbox().claimDue('s', T0 + DONE_RETENTION_MS, 10, 1000)), ['old-pending', 'new-done']);
    await outbox().complete('new-done', 's');
    harness.clock.set(T0 + DONE_RETENTION_MS + 1);
    const later = await harness.open(); // a fresh instance sweeps on its first claim
    assert.deepEqual(await later.outbox.claimDue('s', T0 + DONE_RETENTION_MS + 1, 1, 1000), []);
    assert.deepEqual(ids(await later.outbox.listConversation('c:a')), ['new-done']);
    assert.deepEqual(await later.outbox.counts(), { pending: 0, sending: 1, done: 1, dead: 1 });
    assert.equal((await later.events.getEvent('e-old'))?.id, 'e-old', 'events stay: they are the dedupe record');
  });

  it('when the store is closed, then the outbox and the event store reject', async () => {
    const store = harness.store();
    await store.close();
    await assert.rejects(store.outbox.claimDue('s', T0, 1, 1000), { code: 'STORE.CLOSED' });
    await assert.rejects(store.outbox.complete('a', 's'), { code: 'STORE.CLOSED' });
    await assert.rejects(store.outbox.counts(), { code: 'STORE.CLOSED' });
    await assert.rejects(store.events.getEvent('e'), { code: 'STORE.CLOSED' });
    await assert.rejects(store.events.recordEvent(...recordArgs()), { code: 'STORE.CLOSED' });
  });
});

function recordArgs() {
  return [{ id: 'e', dedupeKey: 'd', kind: 'unknown', body: {}, receivedAt: T0 }, []] as const;
}
