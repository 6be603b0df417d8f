import assert from 'node:assert/strict';
import { buildChannelMessage, buildGroupChatMessage, buildInstallationUpdate, buildPersonalMessage, buildCardSubmitMessage } from '../fakes/teams-activity.ts';
import { startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

interface CardAttachment {
  contentType: string;
  content: { type: string; version: string; body: unknown[] };
}

function cardOf(activity: { attachments?: unknown[] } | undefined): CardAttachment['content'] {
  const attachment = activity?.attachments?.[0] as CardAttachment | undefined;
  assert.equal(attachment?.contentType, ADAPTIVE);
  return attachment.content;
}

describe('Teams: POST /api/messages', () => {
  let harness: BotUnderTest;

  beforeEach(async () => {
    harness = await startBotUnderTest();
  });
  afterEach(() => harness.stop());

  it('when a user types help in a personal chat, then an Adaptive Card 1.5 reply reaches the connector', async () => {
    const response = await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'help' }));
    assert.equal(response.status, 200);
    const [activity] = await harness.connector.waitForActivities(1);
    const card = cardOf(activity);
    assert.equal(card.type, 'AdaptiveCard');
    assert.equal(card.version, '1.5');
    assert.match(JSON.stringify(card), /language de\|en/, 'the admin sees the admin command');
  });

  it('when the bot is @mentioned in a channel, then the mention is stripped and help answers', async () => {
    const activity = buildChannelMessage({ serviceUrl: harness.connector.url, text: 'help' });
    assert.match(String(activity.text), /<at>/, 'the fixture carries the mention');
    await harness.post('/api/messages', activity);
    const [reply] = await harness.connector.waitForActivities(1);
    assert.match(JSON.stringify(cardOf(reply)), /help/);
  });

  it('when a German user writes in a group chat, then the answer is German', async () => {
    await harness.post('/api/messages', buildGroupChatMessage({ serviceUrl: harness.connector.url, text: 'hilfe', locale: 'de-DE' }));
    const [reply] = await harness.connector.waitForActivities(1);
    assert.match(JSON.stringify(cardOf(reply)), /Befehle/);
  });

  it('when an admin sets the language, then later answers use it', async () => {
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'language de' }));
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'help', locale: 'en-US' }));
    const replies = await harness.connector.waitForActivities(2);
    assert.match(JSON.stringify(cardOf(replies[1])), /Befehle/);
  });

  it('when a command is mistyped, then the answer suggests the right one, and its button runs it', async () => {
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'halp' }));
    const [reply] = await harness.connector.waitForActivities(1);
    const json = JSON.stringify(cardOf(reply));
    assert.match(json, /"action":"command","text":"help"/);
    await harness.post('/api/messages', buildCardSubmitMessage({ serviceUrl: harness.connector.url, replyToId: 'x', value: { action: 'command', text: 'help' } }));
    const replies = await harness.connector.waitForActivities(2);
    assert.match(JSON.stringify(cardOf(replies[1])), /language de\|en/);
  });

  it('when the tenant is not on the allow-list, then it gets the refusal and nothing is stored', async () => {
    const tenantId = '99999999-9999-9999-9999-999999999999';
    const activity = buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'help', tenantId });
    await harness.post('/api/messages', activity);
    const [reply] = await harness.connector.waitForActivities(1);
    const json = JSON.stringify(cardOf(reply));
    assert.doesNotMatch(json, /language de\|en/);
    assert.match(json, /can't use this bot/);
    const key = `teams:${tenantId}:${activity.conversation.id}`;
    assert.equal(await harness.bot.store.namespace('conversation-references').get(key), undefined);
  });

  it('when the bot is installed and removed, then its conversation reference is stored and forgotten', async () => {
    const add = buildInstallationUpdate({ serviceUrl: harness.connector.url, action: 'add' });
    const key = `teams:${add.conversation.tenantId}:${add.conversation.id}`;
    const references = harness.bot.store.namespace<{ reference: { serviceUrl: string } }>('conversation-references');
    assert.equal((await harness.post('/api/messages', add)).status, 200);
    assert.equal((await references.get(key))?.reference.serviceUrl, harness.connector.url);
    await harness.post('/api/messages', buildInstallationUpdate({ serviceUrl: harness.connector.url, action: 'remove' }));
    assert.equal(await references.get(key), undefined);
  });

  it('when the body is not an activity, then 400; when it is over 256 KiB, then 413', async () => {
    assert.equal((await harness.post('/api/messages', 'not json')).status, 400);
    assert.equal((await harness.post('/api/messages', { hello: 'world' })).status, 400);
    const huge = JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) });
    assert.equal((await harness.post('/api/messages', huge)).status, 413);
    assert.equal(harness.connector.calls.length, 0);
  });
});

describe('Teams: with a Microsoft app id configured', () => {
  let harness: BotUnderTest;

  before(async () => {
    harness = await startBotUnderTest({
      MicrosoftAppId: '8c5e3b1a-2f4d-4e6a-9b7c-1d0e2f3a4b5c',
      MicrosoftAppPassword: 'app-password-sentinel',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: '5f2b6a44-7c1e-4d3b-9a8f-0e1d2c3b4a59',
    });
  });
  after(() => harness.stop());

  it('when a request has no bearer token, then 401 and nothing is sent', async () => {
    const response = await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'help' }));
    assert.equal(response.status, 401);
    assert.equal(harness.connector.calls.length, 0);
  });

  it('when the bearer token is not a valid JWT, then 401', async () => {
    const response = await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'help' }), {
      authorization: 'Bearer not-a-jwt',
    });
    assert.equal(response.status, 401);
    assert.doesNotMatch(harness.logs.text(), /app-password-sentinel|not-a-jwt/);
  });
});
