import assert from 'node:assert/strict';
import { errorReply } from '../../../src/core/replies.ts';
import { renderForSlack, renderForTeams } from '../../../src/render/render-reply.ts';

describe('error cards with numbers', () => {
  it('when Partner Center throttles, then both renderings say how long to wait', () => {
    const reply = errorReply('en', 'PARTNER_CENTER.THROTTLED', { params: { seconds: 57 }, correlationId: 'c-1' });
    assert.match(JSON.stringify(renderForTeams(reply)), /about 57 seconds/);
    assert.match(JSON.stringify(renderForSlack(reply)), /about 57 seconds/);
    assert.match(JSON.stringify(renderForTeams({ ...reply, locale: 'de' })), /etwa 57 Sekunden/);
  });

  it('when a parameter is text rather than a number, then it is not filled in (no untrusted Markdown)', () => {
    const reply = errorReply('en', 'PARTNER_CENTER.THROTTLED', { params: { seconds: '**57**' as unknown as number } });
    assert.match(JSON.stringify(renderForTeams(reply)), /about \{seconds\} seconds/);
  });
});
