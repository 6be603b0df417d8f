import assert from 'node:assert/strict';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders } from '../../src/simulator/webhooks/index.ts';
import { buildSlashCommandRequest } from '../fakes/slack-request.ts';
import { buildChannelMessage, buildPersonalMessage } from '../fakes/teams-activity.ts';
import { SLACK_ADMIN_USER, SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';
import { webhookClient } from './support/webhook-client.ts';

const events = createWebhookEventBuilders();
const customer = SAMPLE_CUSTOMERS[0]!;
const FAST = { deliveryTuning: { idleMs: 50, claimGapMs: 1 } };

const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForDone(harness: BotUnderTest, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await harness.bot.store.outbox.counts()).done < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} notifications done`);
    await settle(50);
  }
}

describe('notifications: customer cards in subscribed conversations', () => {
  let harness: BotUnderTest;
  let send: ReturnType<typeof webhookClient>;

  beforeEach(async () => {
    harness = await startBotUnderTest({}, FAST);
    send = webhookClient(harness);
  });
  afterEach(() => harness.stop());

  const subscribeTeamsPersonal = async (kinds: string) => {
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: `subscribe ${kinds}` }));
    await harness.connector.waitForActivities(1);
  };
  const subscribeTeamsChannel = async (kinds: string) => {
    const before = harness.connector.activities().length;
    await harness.post('/api/messages', buildChannelMessage({ serviceUrl: harness.connector.url, text: `<at>Bot</at> subscribe ${kinds}` }));
    await harness.connector.waitForActivities(before + 1);
  };
  const subscribeSlack = async (channelId: string, kinds: string) => {
    const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: `subscribe ${kinds}`, channelId, userId: SLACK_ADMIN_USER });
    const before = harness.slack.callsOf('chat.postMessage').length;
    await harness.post('/slack/events', request.body, request.headers);
    await harness.slack.waitForCalls('chat.postMessage', before + 1);
  };
  const cardsIn = (channel: string) =>
    harness.slack.callsOf('chat.postMessage').filter((call) => call.args.channel === channel && JSON.stringify(call.args.blocks).includes(customer.companyName));

  it('when a customer accepts, then every subscribed Teams and Slack conversation gets the card with the customer name, and no other', async () => {
    await subscribeTeamsPersonal('accepted');
    await subscribeSlack('C0ACCEPTED', 'accepted');
    await subscribeSlack('C0REMOVED', 'removed');
    const activitiesBefore = harness.connector.activities().length;

    assert.equal(await send(events.resellerRelationshipAccepted(customer.id)), 200);

    const [card] = (await harness.connector.waitForActivities(activitiesBefore + 1)).slice(activitiesBefore);
    assert.match(JSON.stringify(card), new RegExp(`${customer.companyName} accepted your reseller relationship`));
    await harness.slack.waitForCalls('chat.postMessage', 3);
    await settle();
    assert.equal(cardsIn('C0ACCEPTED').length, 1);
    assert.match(JSON.stringify(cardsIn('C0ACCEPTED')[0]?.args.blocks), new RegExp(customer.companyName));
    assert.equal(cardsIn('C0REMOVED').length, 0, 'a conversation subscribed to other kinds hears nothing');
    assert.equal(harness.connector.activities().length, activitiesBefore + 1);
  });

  it('when the same webhook is delivered again, then nothing new is posted', async () => {
    await subscribeSlack('C0ACCEPTED', 'accepted');
    const event = events.resellerRelationshipAccepted(customer.id);
    await send(event);
    await harness.slack.waitForCalls('chat.postMessage', 2);
    assert.equal(await send(event), 200);
    await settle();
    assert.equal(cardsIn('C0ACCEPTED').length, 1);
  });

  it('when a Slack channel is gone (channel_not_found), then its subscription ends and the log says so', async () => {
    await subscribeSlack('C0ARCHIVED', 'accepted');
    harness.slack.failNext({ error: 'channel_not_found' }, 1, 'chat.postMessage');
    await send(events.resellerRelationshipAccepted(customer.id));
    await harness.slack.waitForCalls('chat.postMessage', 2);
    await settle();
    const show = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: 'subscriptions', channelId: 'C0ARCHIVED', userId: SLACK_ADMIN_USER });
    await harness.post('/slack/events', show.body, show.headers);
    const calls = await harness.slack.waitForCalls('chat.postMessage', 3);
    assert.doesNotMatch(JSON.stringify(calls[2]?.args.blocks), /"on"|: on/);
    assert.match(harness.logs.text(), /conversation is gone/);
  });

  it('when a burst arrives for one conversation, then it is folded into a digest that names every customer once', async () => {
    await subscribeSlack('C0BURST', 'accepted');
    const customers = SAMPLE_CUSTOMERS.slice(0, 7);
    await Promise.all(customers.map((each) => send(events.resellerRelationshipAccepted(each.id))));
    await waitForDone(harness, customers.length);
    const posts = harness.slack.callsOf('chat.postMessage').filter((call) => call.args.channel === 'C0BURST').slice(1);
    assert.ok(posts.some((call) => /updates from Partner Center/.test(JSON.stringify(call.args.blocks))), 'a digest was posted');
    assert.ok(posts.length < customers.length, `${posts.length} messages for ${customers.length} events`);
    for (const each of customers) assert.equal(posts.filter((call) => JSON.stringify(call.args.blocks).includes(each.companyName)).length, 1, each.companyName);
  });

  it('when a second event concerns the same customer, then the Slack card is updated in place and a reply goes into its thread', async () => {
    await subscribeSlack('C0ACCEPTED', 'accepted removed');
    await send(events.resellerRelationshipAccepted(customer.id));
    const [, first] = await harness.slack.waitForCalls('chat.postMessage', 2);
    const ts = (first?.response as { ts?: string } | undefined)?.ts;
    assert.ok(ts);
    // The removal's AuditUri names the customer: the same card tells the next chapter.
    await send(events.dapTerminated(customer.id));
    const [update] = await harness.slack.waitForCalls('chat.update', 1);
    assert.equal(update?.args.ts, ts);
    assert.match(JSON.stringify(update?.args.blocks), /removed your delegated admin rights/);
    assert.match(JSON.stringify(update?.args.blocks), /accepted the reseller relationship/);
    const calls = await harness.slack.waitForCalls('chat.postMessage', 3);
    assert.equal(calls[2]?.args.thread_ts, ts);
  });

  it('when a second event concerns the same customer, then the Teams channel card is updated and the follow-up goes into its reply chain', async () => {
    await subscribeTeamsChannel('accepted removed');
    const before = harness.connector.activities().length;
    await send(events.resellerRelationshipAccepted(customer.id));
    await harness.connector.waitForActivities(before + 1);
    const posted = harness.connector.calls.filter((call) => call.route === 'send' || call.route === 'reply').at(-1);
    const cardId = (posted?.response as { id?: string } | undefined)?.id;
    assert.ok(cardId, 'the connector returned an id for the card');
    await send(events.dapTerminated(customer.id));
    await harness.connector.waitForActivities(before + 3);
    const update = harness.connector.calls.find((call) => call.route === 'update');
    assert.equal(update?.activityId ?? update?.path.split('/').at(-1), cardId);
    const followUp = harness.connector.calls.filter((call) => call.route === 'send' || call.route === 'reply').at(-1);
    assert.match(decodeURIComponent(followUp?.path ?? ''), new RegExp(`;messageid=${cardId}`));
  });
});
