import assert from 'node:assert/strict';
import { capLength, toInertData, toInertText } from '../../../src/render/inert.ts';

describe('toInertText', () => {
  it('strips bidi overrides, isolates and marks', () => {
    const controls = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C';
    assert.equal(toInertText(`a${controls}b`), 'ab');
  });

  it('strips C0 and C1 control characters but keeps line breaks', () => {
    assert.equal(toInertText('a\u0000b\tc\r\nd\u001B[31me\u007F\u0085\u009Ff'), 'abc\nd[31mef');
  });

  it('replaces lone surrogates and keeps valid pairs', () => {
    assert.equal(toInertText('x\uD800y\uDC00z😀'), 'x\uFFFDy\uFFFDz😀');
  });

  it('caps the length at a code point boundary, the ellipsis included', () => {
    assert.equal(toInertText('abcdef', 4), 'abc…');
    assert.equal(toInertText('😀😀😀', 2), '😀…');
    assert.equal(toInertText('a'.repeat(500)).length, 500);
    assert.equal(Array.from(toInertText('a'.repeat(501))).length, 500);
    assert.equal(capLength('abc', 0), '');
  });

  it('turns other values into strings and null or undefined into nothing', () => {
    assert.equal(toInertText(42), '42');
    assert.equal(toInertText(false), 'false');
    assert.equal(toInertText(null), '');
    assert.equal(toInertText(undefined), '');
  });

  it('leaves Markdown and Slack markup as it is: templates keep it where nothing renders it', () => {
    assert.equal(toInertText('<!channel> **b** [a](https://x)'), '<!channel> **b** [a](https://x)');
  });
});

describe('toInertData', () => {
  it('cleans every string, however deep, and keeps other values and keys', () => {
    const data = { name: 'A\u202EB', list: ['x\u0007', { deep: 'y\u2066' }], count: 3, flag: true, none: null };
    assert.deepEqual(toInertData(data), { name: 'AB', list: ['x', { deep: 'y' }], count: 3, flag: true, none: null });
  });
});
