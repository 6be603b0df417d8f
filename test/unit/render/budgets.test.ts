import assert from 'node:assert/strict';
import {
  assertSlackWithinBudgets,
  assertTeamsWithinBudgets,
  collectSlackTexts,
  SLACK_MAX_BLOCKS,
  TEAMS_MAX_PAYLOAD_BYTES,
  teamsPayloadBytes,
} from '../../../src/render/budgets.ts';

const richText = (text: string) => ({ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] });

describe('size budgets', () => {
  it('counts Teams cards in UTF-16 bytes', () => {
    assert.equal(teamsPayloadBytes({ a: 'ü' }), Buffer.byteLength('{"a":"ü"}', 'utf16le'));
    assert.equal(TEAMS_MAX_PAYLOAD_BYTES, 28_000);
  });

  it('refuses a Teams card over 28,000 bytes', () => {
    assertTeamsWithinBudgets({ text: 'x'.repeat(13_000) });
    assert.throws(() => assertTeamsWithinBudgets({ text: 'x'.repeat(14_000) }), /over the 28000-byte budget/);
  });

  it('collects every Slack text, fallback included', () => {
    const message = { text: 'fallback', blocks: [richText('a'), { type: 'header', text: { type: 'plain_text', text: 'h' } }] };
    assert.deepEqual(collectSlackTexts(message), ['fallback', 'a', 'h']);
  });

  it('refuses more than 50 blocks, a field over 3,000 characters, or more than 12,000 in total', () => {
    assertSlackWithinBudgets({ text: '', blocks: Array.from({ length: SLACK_MAX_BLOCKS }, () => richText('x')) });
    assert.throws(() => assertSlackWithinBudgets({ text: '', blocks: Array.from({ length: 51 }, () => richText('x')) }), /51 blocks/);
    assert.throws(() => assertSlackWithinBudgets({ text: '', blocks: [richText('x'.repeat(3_001))] }), /3001 characters/);
    const many = Array.from({ length: 5 }, () => richText('x'.repeat(2_500)));
    assert.throws(() => assertSlackWithinBudgets({ text: '', blocks: many }), /12500 characters of text/);
  });
});
