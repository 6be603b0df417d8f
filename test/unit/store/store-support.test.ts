import { strict as assert } from 'node:assert';
import { assertPrefix, createClosedGuard, toSafeUrl, toTtlMs, toUnreachableError, withTimeout } from '../../../src/store/store-support.ts';

describe('store support', () => {
  it('when a URL carries credentials, then the safe form masks user and password and drops the query', () => {
    const safe = toSafeUrl('postgresql://bot:s3cret@db.example.com:5432/bot?password=other-secret');
    assert.equal(safe, 'postgresql://***:***@db.example.com:5432/bot');
    assert.equal(toSafeUrl('redis://:s3cret@cache:6379/2'), 'redis://:***@cache:6379/2');
    assert.equal(toSafeUrl('sqlite://./data/bot.sqlite'), 'sqlite://./data/bot.sqlite');
  });

  it('when a connection fails, then the error names the redacted URL and keeps the cause', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const error = toUnreachableError('redis://user:s3cret@127.0.0.1:1', cause);
    assert.equal(error.code, 'STORE.UNREACHABLE');
    assert.equal(error.cause, cause);
    assert.match(error.message, /redis:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:1/);
    assert.ok(!error.message.includes('s3cret'));
  });

  it('when a ttl is not a positive number, then it is refused; fractions round up', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => toTtlMs(bad), RangeError);
    assert.equal(toTtlMs(1.2), 2);
    assert.equal(toTtlMs(1000), 1000);
  });

  it('when a prefix could break out of an SQL identifier, then it is refused', () => {
    assert.doesNotThrow(() => assertPrefix('prb'));
    assert.doesNotThrow(() => assertPrefix('t_run42'));
    for (const bad of ['', '1abc', 'a-b', 'a;drop', 'a b', 'x'.repeat(41)]) assert.throws(() => assertPrefix(bad), /prefix/i);
  });

  it('when the store is closed, then assertOpen throws and close runs the closer once', async () => {
    const guard = createClosedGuard('Test');
    let closes = 0;
    guard.assertOpen();
    await Promise.all([guard.close(async () => void closes++), guard.close(async () => void closes++)]);
    assert.equal(closes, 1);
    assert.throws(() => guard.assertOpen(), /closed/);
  });

  it('when a promise hangs, then withTimeout rejects after the limit, and passes results through otherwise', async () => {
    await assert.rejects(withTimeout(new Promise(() => undefined), 20, 'hanging ping'), /hanging ping timed out after 20 ms/);
    assert.equal(await withTimeout(Promise.resolve(7), 1000, 'quick'), 7);
  });
});
