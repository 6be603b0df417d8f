import assert from 'node:assert/strict';
import { backoffDelay } from '../../../../src/core/delivery/backoff.ts';
import { Pacer } from '../../../../src/core/delivery/pacer.ts';
import { SlidingWindowLimiter } from '../../../../src/core/delivery/rate-limits.ts';

describe('pacing and backoff', () => {
  it('when Teams gets a burst, then 7 go in the first second and the 8th waits for the oldest to leave the window', () => {
    const pacer = new Pacer();
    const key = 'teams:tenant-1:19:chat';
    for (let index = 0; index < 7; index++) {
      assert.equal(pacer.delayFor(key, 1_000 + index), 0);
      pacer.record(key, 1_000 + index);
    }
    assert.equal(pacer.delayFor(key, 1_010), 990);
  });

  it('when a Teams conversation sent 60 in 30 s, then the 61st waits even though the per-second window is free', () => {
    const limiter = new SlidingWindowLimiter([
      { limit: 7, periodMs: 1_000 },
      { limit: 60, periodMs: 30_000 },
    ]);
    for (let index = 0; index < 60; index++) limiter.record('c', index * 400);
    assert.equal(limiter.delayFor('c', 60 * 400), 30_000 - 60 * 400);
  });

  it('when one tenant has many conversations, then the tenant limit (30/s) holds across them', () => {
    const pacer = new Pacer();
    for (let index = 0; index < 30; index++) pacer.record(`teams:tenant-1:conversation-${index}`, 5_000);
    assert.equal(pacer.delayFor('teams:tenant-1:conversation-new', 5_000), 1_000);
    assert.equal(pacer.delayFor('teams:tenant-2:conversation-new', 5_000), 0, 'another tenant is not held back');
  });

  it('when a Slack channel got a message, then the next waits a second; another channel does not', () => {
    const pacer = new Pacer();
    pacer.record('slack:T1:C1', 10_000);
    assert.equal(pacer.delayFor('slack:T1:C1', 10_250), 750);
    assert.equal(pacer.delayFor('slack:T1:C2', 10_250), 0);
    assert.equal(pacer.delayFor('slack:T1:C1', 11_000), 0);
  });

  it('backoff doubles per attempt between half and all of its ceiling, and stops at the cap', () => {
    const options = { baseMs: 1_000, capMs: 8_000 };
    assert.equal(backoffDelay(1, options, () => 0), 500);
    assert.equal(backoffDelay(1, options, () => 1), 1_000);
    assert.equal(backoffDelay(3, options, () => 1), 4_000);
    assert.equal(backoffDelay(10, options, () => 0.5), 6_000);
  });
});
