/**
 * The EventStore and Outbox ports on every real backend: atomic, deduplicated intake and the claim rules
 * (due-ness, oldest first, one in flight per conversation, expiry, owner fencing).
 */
import { strict as assert } from 'node:assert';
import type { OutboxRow } from '../../src/core/events/event-store.port.ts';
import { T0, anEvent, describeOnEveryBackend, record } from './outbox-harness.ts';

const ids = (rows: readonly OutboxRow[]) => rows.map((row) => row.id);

describeOnEveryBackend('Event store', (harness) => {
  it('when an event is recorded, then the event and every row are stored, pending and due from receivedAt', async () => {
    const { event, messages } = anEvent('e1', T0, [['m1', 'teams:t:a'], ['m2', 'slack:t:b']]);
    assert.equal(await harness.store().events.recordEvent(event, messages), true);
    assert.deepEqual(await harness.store().events.getEvent('e1'), event);
    assert.equal(await harness.store().events.getEvent('missing'), undefined);
    assert.deepEqual(await harness.store().outbox.listConversation('teams:t:a'), [
      { ...messages[0], state: 'pending', attempts: 0, notBefore: T0, createdAt: T0 },
    ]);
    assert.deepEqual(await harness.store().outbox.counts(), { pending: 2, sending: 0, done: 0, dead: 0 });
  });

  it('when the same dedupeKey arrives again, then recordEvent answers false and stores nothing more', async () => {
    const first = anEvent('e1', T0, [['m1', 'teams:t:a']], 'same-fact');
    const again = anEvent('e2', T0 + 5, [['m2', 'teams:t:a'], ['m3', 'teams:t:b']], 'same-fact');
    assert.equal(await harness.store().events.recordEvent(first.event, first.messages), true);
    assert.equal(await harness.store().events.recordEvent(first.event, first.messages), false);
    assert.equal(await harness.store().events.recordEvent(again.event, again.messages), false);
    assert.equal(await harness.store().events.getEvent('e2'), undefined);
    assert.deepEqual(ids(await harness.store().outbox.listConversation('teams:t:a')), ['m1']);
    assert.deepEqual(await harness.store().outbox.counts(), { pending: 1, sending: 0, done: 0, dead: 0 });
  });

  it('when one row of an event cannot be stored, then nothing of the event is stored and its dedupeKey stays free', async () => {
    await record(harness.store(), 'e1', T0, [['taken', 'teams:t:a']]);
    const clashes = [
      anEvent('e2', T0, [['fresh-1', 'teams:t:b'], ['taken', 'teams:t:b']]),
      anEvent('e2', T0, [['fresh-1', 'teams:t:b'], ['fresh-2', 'teams:t:c'], ['fresh-1', 'teams:t:c']]),
    ];
    for (const { event, messages } of clashes) {
      await assert.rejects(harness.store().events.recordEvent(event, messages), { code: 'STORE.CONFLICT' });
      assert.equal(await harness.store().events.getEvent('e2'), undefined);
      assert.deepEqual(await harness.store().outbox.listConversation('teams:t:b'), []);
      assert.deepEqual(await harness.store().outbox.listConversation('teams:t:c'), []);
      assert.deepEqual(await harness.store().outbox.counts(), { pending: 1, sending: 0, done: 0, dead: 0 });
    }
    const fixed = anEvent('e2', T0, [['fresh-1', 'teams:t:b']]);
    assert.equal(await harness.store().events.recordEvent(fixed.event, fixed.messages), true, 'the failed attempt left no dedupe key');
  });

  it('when a row names another event, or an event id is reused under a new dedupeKey, then it is refused', async () => {
    const { event, messages } = anEvent('e1', T0, [['m1', 'teams:t:a']]);
    await assert.rejects(harness.store().events.recordEvent(event, [{ ...messages[0]!, eventId: 'other' }]), RangeError);
    assert.equal(await harness.store().events.recordEvent(event, []), true, 'an event without rows is fine');
    await assert.rejects(harness.store().events.recordEvent({ ...event, dedupeKey: 'another-fact' }, []), { code: 'STORE.CONFLICT' });
  });
});

describeOnEveryBackend('Outbox claims', (harness) => {
  const outbox = () => harness.store().outbox;

  it('when rows are not yet due, then claimDue returns nothing; from notBefore on they are claimed', async () => {
    await record(harness.store(), 'e1', T0 + 1000, [['m1', 'teams:t:a']]);
    assert.deepEqual(await outbox().claimDue('sender-1', T0 + 999, 10, 5000), []);
    const [row, ...rest] = await outbox().claimDue('sender-1', T0 + 1000, 10, 5000);
    assert.equal(rest.length, 0);
    assert.deepEqual({ ...row }, {
      ...anEvent('e1', T0 + 1000, [['m1', 'teams:t:a']]).messages[0],
      state: 'sending', attempts: 1, notBefore: T0 + 1000, createdAt: T0 + 1000, claimedBy: 'sender-1', claimedUntil: T0 + 6000,
    });
  });

  it('claimMore (digest): only under the caller\'s live claim, only with enough due rows, oldest first, then fenced like any claim', async () => {
    for (let index = 1; index <= 5; index++) await record(harness.store(), `e${index}`, T0 + index, [[`a${index}`, 'c:a']]);
    await record(harness.store(), 'e9', T0 + 9, [['b1', 'c:b']]);
    assert.deepEqual(await outbox().claimMore('c:a', 'sender-1', T0 + 10, 1, 10, 5000), [], 'no claim held yet');
    const [head] = await outbox().claimDue('sender-1', T0 + 10, 1, 5000);
    assert.equal(head?.id, 'a1');
    assert.deepEqual(await outbox().claimMore('c:a', 'sender-2', T0 + 10, 1, 10, 5000), [], 'someone else holds the conversation');
    assert.deepEqual(await outbox().claimMore('c:a', 'sender-1', T0 + 10, 5, 10, 5000), [], 'only 4 more are due, 5 asked for');
    const more = await outbox().claimMore('c:a', 'sender-1', T0 + 10, 2, 3, 5000);
    assert.deepEqual(ids(more), ['a2', 'a3', 'a4']);
    assert.ok(more.every((row) => row.state === 'sending' && row.claimedBy === 'sender-1' && row.claimedUntil === T0 + 5010 && row.attempts === 1));
    assert.deepEqual(await outbox().counts(), { pending: 2, sending: 4, done: 0, dead: 0 });
    assert.equal(await outbox().complete('a3', 'sender-2'), false);
    assert.equal(await outbox().complete('a3', 'sender-1'), true);
    assert.deepEqual(await outbox().claimMore('c:a', 'sender-1', T0 + 6000, 1, 10, 5000), [], 'the claim ran out');
  });

  it('when several conversations have due rows, then the oldest head of each comes first, at most one per conversation', async () => {
    await record(harness.store(), 'e2', T0 + 20, [['a1', 'c:a'], ['b1', 'c:b'], ['a2', 'c:a']]);
    await record(harness.store(), 'e1', T0 + 10, [['c1', 'c:c']]);
    await record(harness.store(), 'e3', T0 + 30, [['b2', 'c:b'], ['d1', 'c:d']]);
    assert.deepEqual(ids(await outbox().claimDue('s', T0 + 100, 2, 1000)), ['c1', 'a1'], 'createdAt, then insertion order');
    assert.deepEqual(ids(await outbox().claimDue('s', T0 + 100, 10, 1000)), ['b1', 'd1'], 'a and c are in flight');
    assert.deepEqual(await outbox().claimDue('s', T0 + 100, 10, 1000), []);
    assert.equal(await outbox().complete('a1', 's'), true);
    assert.deepEqual(ids(await outbox().claimDue('s', T0 + 100, 10, 1000)), ['a2'], 'the next of a, once a1 is done');
  });

  it('when a claim expires, then the row is claimable again with attempts + 1 and only the new owner may finish it', async () => {
    await record(harness.store(), 'e1', T0, [['m1', 'c:a'], ['m2', 'c:a']]);
    await outbox().claimDue('crashed', T0, 10, 1000);
    assert.deepEqual(await outbox().claimDue('replacement', T0 + 999, 10, 1000), [], 'the claim is live until its end');
    const [taken] = await outbox().claimDue('replacement', T0 + 1000, 10, 1000);
    assert.equal(taken?.id, 'm1', 'the expired row is the oldest due row again');
    assert.equal(taken.attempts, 2);
    assert.equal(taken.claimedBy, 'replacement');
    assert.equal(await outbox().complete('m1', 'crashed'), false, 'a late answer of the old owner changes nothing');
    assert.equal(await outbox().retryLater('m1', 'crashed', T0 + 60_000, 'late'), false);
    assert.equal(await outbox().markDead('m1', 'crashed', 'late'), false);
    assert.equal((await outbox().listConversation('c:a'))[0]?.state, 'sending');
    assert.equal(await outbox().complete('m1', 'replacement'), true);
    assert.equal(await outbox().complete('m1', 'replacement'), false, 'done is final');
  });

  it('when the owner retries later or gives up, then the row is pending from notBefore, or dead, with the error', async () => {
    await record(harness.store(), 'e1', T0, [['m1', 'c:a'], ['m2', 'c:b']]);
    await outbox().claimDue('s', T0, 10, 1000);
    assert.equal(await outbox().retryLater('m1', 'other', T0 + 500, 'nope'), false);
    assert.equal(await outbox().retryLater('m1', 's', T0 + 500, 'HTTP 502'), true);
    assert.equal(await outbox().markDead('m2', 's', 'HTTP 403'), true);
    const [retried] = await outbox().listConversation('c:a');
    assert.deepEqual([retried?.state, retried?.notBefore, retried?.lastError, retried?.claimedBy], ['pending', T0 + 500, 'HTTP 502', undefined]);
    assert.deepEqual(await outbox().claimDue('s', T0 + 499, 10, 1000), []);
    assert.deepEqual(ids(await outbox().claimDue('s', T0 + 500, 10, 1000)), ['m1']);
    assert.equal((await outbox().listConversation('c:b'))[0]?.lastError, 'HTTP 403');
    assert.deepEqual(await outbox().counts(), { pending: 0, sending: 1, done: 0, dead: 1 });
  });

  it('when a claim asks for nothing or with nonsense, then it answers empty or refuses', async () => {
    await record(harness.store(), 'e1', T0, [['m1', 'c:a']]);
    assert.deepEqual(await outbox().claimDue('s', T0, 0, 1000), []);
    await assert.rejects(outbox().claimDue('s', T0, -1, 1000), RangeError);
    await assert.rejects(outbox().claimDue('s', T0, 1, 0), RangeError);
    await assert.rejects(outbox().claimDue('s', Number.NaN, 1, 1000), RangeError);
    assert.equal((await outbox().counts()).pending, 1);
  });
});
