import assert from 'node:assert/strict';
import { renderForSlack, renderForTeams } from '../../../src/render/render-reply.ts';

describe('renderForTeams / renderForSlack', () => {
  const reply = { template: 'language', locale: 'en' as const, data: { language: 'en' } };

  it('renders one reply for both platforms from the same expanded card', () => {
    const card = renderForTeams(reply);
    const message = renderForSlack(reply);
    assert.equal(card.type, 'AdaptiveCard');
    assert.deepEqual(message.blocks[0], { type: 'header', text: { type: 'plain_text', text: 'Language changed' } });
    assert.equal(message.text, 'Language changed');
  });

  it('refuses a reply whose rendering is over budget', () => {
    const commands = Array.from({ length: 60 }, (_, index) => ({ name: `c${index}`, usage: `c${index}`, aliases: [], admin: false }));
    assert.throws(() => renderForSlack({ template: 'help', locale: 'en', data: { commands, language: 'en', isAdmin: false } }), /blocks/);
  });
});
