import assert from 'node:assert/strict';
import { toConversationKey } from '../../src/core/chat.ts';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders, createWebhookSender, simulatorCertificateUrls, simulatorWebhookIdentity } from '../../src/simulator/webhooks/index.ts';
import { buildPersonalMessage, FAKE_TENANT_ID } from '../fakes/teams-activity.ts';
import { startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';

const events = createWebhookEventBuilders();

describe('Partner Center webhooks: intake', () => {
  let harness: BotUnderTest;
  let send: (event: ReturnType<typeof events.resellerRelationshipAccepted>, token?: string) => Promise<number>;
  let conversationKey: string;

  beforeEach(async () => {
    harness = await startBotUnderTest();
    const message = buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'subscribe accepted' });
    await harness.post('/api/messages', message);
    await harness.connector.waitForActivities(1);
    conversationKey = toConversationKey({ platform: 'teams', tenantId: FAKE_TENANT_ID, conversationId: message.conversation.id });
    const { certificateUrl } = simulatorCertificateUrls(harness.bot.simulator!.url);
    send = (event, token = harness.bot.webhookToken) =>
      createWebhookSender({ targetUrl: `${harness.url}/api/partner-center/webhook?token=${encodeURIComponent(token)}`, signingKeyPem: simulatorWebhookIdentity().signingKeyPem, certificateUrl }).send(event);
  });
  afterEach(() => harness.stop());

  const customerId = SAMPLE_CUSTOMERS[0]!.id;

  it('when a signed acceptance arrives, then it is stored with one notification per subscribed conversation', async () => {
    assert.equal(await send(events.resellerRelationshipAccepted(customerId)), 200);
    const rows = await harness.bot.store.outbox.listConversation(conversationKey);
    assert.equal(rows.length, 1);
    assert.equal((rows[0]?.payload.event as { customerId?: string }).customerId, customerId.toLowerCase());
  });

  it('when the same event is delivered again, then nothing new is stored', async () => {
    const event = events.resellerRelationshipAccepted(customerId);
    await send(event);
    assert.equal(await send(event), 200);
    assert.equal((await harness.bot.store.outbox.listConversation(conversationKey)).length, 1);
  });

  it('when the token is wrong, then 401 and nothing is stored', async () => {
    assert.equal(await send(events.resellerRelationshipAccepted(customerId), 'wrong-token'), 401);
    assert.equal((await harness.bot.store.outbox.listConversation(conversationKey)).length, 0);
    const metrics = await (await fetch(`${harness.url}/metrics`)).text();
    assert.match(metrics, /partner_center_webhooks_total\{outcome="rejected",kind="token invalid"\} 1/);
  });

  it('when a body arrives unsigned, then 401 and nothing is stored', async () => {
    const unsigned = await harness.post(`/api/partner-center/webhook?token=${harness.bot.webhookToken}`, { EventName: 'reseller-relationship-accepted-by-customer' });
    assert.equal(unsigned.status, 401);
    assert.equal((await harness.bot.store.outbox.listConversation(conversationKey)).length, 0);
  });

  it('when a test event or an unknown event arrives, then it is acknowledged and nobody is notified', async () => {
    assert.equal(await send(events.testCreated()), 200);
    assert.equal(await send({ ...events.resellerRelationshipAccepted(customerId), EventName: 'something-new' }), 200);
    assert.equal((await harness.bot.store.outbox.listConversation(conversationKey)).length, 0);
    const metrics = await (await fetch(`${harness.url}/metrics`)).text();
    assert.match(metrics, /outcome="recorded",kind="unknown"\} 1/);
    assert.match(metrics, /outcome="test",kind="test"\} 1/);
  });
});
