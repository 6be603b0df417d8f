import { strict as assert } from 'node:assert';
import { newTimeOrderedId } from '../../../src/core/time-ordered-id.ts';

describe('time-ordered ids', () => {
  it('when made, then they are version 7 UUIDs that carry the millisecond they were made in', () => {
    const at = Date.UTC(2026, 11, 5, 7, 30);
    const id = newTimeOrderedId(at);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), at);
  });

  it('when made in later milliseconds, then they sort later; in the same one, they still differ', () => {
    const ids = Array.from({ length: 200 }, (_, index) => newTimeOrderedId(1_700_000_000_000 + index));
    assert.deepEqual([...ids].sort(), ids);
    const same = new Set(Array.from({ length: 1000 }, () => newTimeOrderedId(1_700_000_000_000)));
    assert.equal(same.size, 1000);
  });
});
