import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMutex } from '../../../src/store/async-mutex.ts';

describe('async mutex', () => {
  it('when callers overlap, then they run one at a time in call order', async () => {
    const serialise = createMutex();
    const events: string[] = [];
    let running = 0;
    const task = (name: string, ms: number) =>
      serialise(async () => {
        running += 1;
        assert.equal(running, 1, 'never two at once');
        events.push(`start ${name}`);
        await sleep(ms);
        events.push(`end ${name}`);
        running -= 1;
        return name;
      });
    assert.deepEqual(await Promise.all([task('a', 15), task('b', 1), task('c', 5)]), ['a', 'b', 'c']);
    assert.deepEqual(events, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('when a caller fails, then it gets its own rejection and the next caller still runs', async () => {
    const serialise = createMutex();
    const failing = serialise(async () => {
      throw new Error('boom');
    });
    const next = serialise(async () => 'ran');
    await assert.rejects(failing, /boom/);
    assert.equal(await next, 'ran');
  });
});
