import { strict as assert } from 'node:assert';
import { DONE_RETENTION_MS, SWEEP_INTERVAL_MS, assertRecordable, createSweepSchedule, fromSqlRow, toClaim, toCounts } from '../../../src/store/outbox-support.ts';

describe('outbox support', () => {
  it('when claim arguments are checked, then times are whole ms and nonsense is refused', () => {
    assert.deepEqual(toClaim(1000.7, 3, 250.2), { now: 1000, limit: 3, claimedUntil: 1251 });
    assert.throws(() => toClaim(Number.POSITIVE_INFINITY, 1, 1), RangeError);
    assert.throws(() => toClaim(0, 1.5, 1), RangeError);
    assert.throws(() => toClaim(0, 1, 0), RangeError);
  });

  it('when a message belongs to another event, then the record is refused before any storage', () => {
    const event = { id: 'e1', dedupeKey: 'd', kind: 'k', body: {}, receivedAt: 5.9 };
    assert.equal(assertRecordable(event, [{ id: 'm', eventId: 'e1', conversationKey: 'c', payload: {} }]), 5);
    assert.throws(() => assertRecordable(event, [{ id: 'm', eventId: 'e2', conversationKey: 'c', payload: {} }]), /belongs to event e2/);
  });

  it('when a SQL row is mapped, then BIGINT strings become numbers and NULL fields are left out', () => {
    const row = fromSqlRow({
      seq: '7', id: 'm', event_id: 'e', conversation_key: 'c', payload: '{"a":1}', state: 'pending',
      attempts: '2', not_before: '10', created_at: '9', claimed_by: null, claimed_until: null, last_error: 'HTTP 502',
    });
    assert.deepEqual(row, { id: 'm', eventId: 'e', conversationKey: 'c', payload: { a: 1 }, state: 'pending', attempts: 2, notBefore: 10, createdAt: 9, lastError: 'HTTP 502' });
    assert.deepEqual(toCounts([{ state: 'done', count: '4' }, { state: 'odd', count: 1 }]), { pending: 0, sending: 0, done: 4, dead: 0 });
  });

  it('when sweeps are scheduled, then the first call sweeps and the next only after the interval, with a 7-day cutoff', async () => {
    let now = 1_000_000_000_000;
    const cutoffs: number[] = [];
    const sweep = createSweepSchedule(() => now, async (cutoff) => void cutoffs.push(cutoff));
    await sweep();
    now += SWEEP_INTERVAL_MS - 1;
    await sweep();
    now += 1;
    await sweep();
    assert.deepEqual(cutoffs, [1_000_000_000_000 - DONE_RETENTION_MS, now - DONE_RETENTION_MS]);
  });
});
