import assert from 'node:assert/strict';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders } from '../../src/simulator/webhooks/index.ts';
import type { ConnectorCall } from '../fakes/fake-bot-connector.ts';
import { seededRandom } from '../fakes/faults.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import { buildSlashCommandRequest } from '../fakes/slack-request.ts';
import { buildPersonalMessage } from '../fakes/teams-activity.ts';
import { SLACK_ADMIN_USER, SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';
import { webhookClient } from './support/webhook-client.ts';

const events = createWebhookEventBuilders();
const CUSTOMERS = SAMPLE_CUSTOMERS.slice(0, 8);
const CHANNELS = ['C0FAULTS1', 'C0FAULTS2'];
const RETRY_AFTER_MS = 1_000;


/** 30 % "slow down" with Retry-After: 1, 5 % server errors, the rest answered normally. */
function faultMix(random: () => number) {
  const roll = random();
  if (roll < 0.3) return { status: 429, headers: { 'retry-after': String(RETRY_AFTER_MS / 1000) } };
  if (roll < 0.35) return { status: 500 };
  return undefined;
}

/** Every call made to a conversation while its Retry-After was running. */
function callsDuringRetryAfter<C extends { timestamp: number; status: number }>(calls: readonly C[]): C[] {
  const offending: C[] = [];
  calls.forEach((call, index) => {
    if (call.status !== 429) return;
    const until = call.timestamp + RETRY_AFTER_MS;
    offending.push(...calls.slice(index + 1).filter((later) => later.timestamp < until));
  });
  return offending;
}

describe('notifications under a faulty chat API (30 % 429 with Retry-After, 5 % 500)', function () {
  this.timeout(60_000);
  let harness: BotUnderTest;

  before(async () => {
    harness = await startBotUnderTest(
      {},
      {
        deliveryTuning: {
          idleMs: 50,
          claimGapMs: 1,
          backoff: { baseMs: 100, capMs: 1_000 },
          // One card per customer here: this test counts cards, so bursts must not fold into a digest.
          digest: false,
          // Faster than Slack's real 1 per second, so the test takes seconds, not a minute.
          limits: { slackChannel: [{ limit: 20, periodMs: 1_000 }], teamsConversation: [{ limit: 20, periodMs: 1_000 }], teamsTenant: [{ limit: 30, periodMs: 1_000 }] },
        },
      },
    );
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'subscribe accepted' }));
    await harness.connector.waitForActivities(1);
    for (const channelId of CHANNELS) {
      const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: 'subscribe accepted', channelId, userId: SLACK_ADMIN_USER });
      await harness.post('/slack/events', request.body, request.headers);
    }
    await harness.slack.waitForCalls('chat.postMessage', CHANNELS.length);
    const slackCoin = seededRandom(42);
    const teamsCoin = seededRandom(7);
    harness.slack.setResponder((call) => (call.method === 'chat.postMessage' ? faultMix(slackCoin) : undefined));
    harness.connector.setResponder((call) => (isPost(call) ? faultMix(teamsCoin) : undefined));
    const send = webhookClient(harness);
    for (const customer of CUSTOMERS) assert.equal(await send(events.resellerRelationshipAccepted(customer.id)), 200);
    await waitUntilDrained(harness);
  });
  after(() => harness.stop());

  const cardCalls = (calls: readonly SlackCall[], channel: string) => calls.filter((call) => call.method === 'chat.postMessage' && call.args.channel === channel && /accepted your reseller/.test(JSON.stringify(call.args.blocks)));

  it('every Slack channel gets every customer exactly once, and no call while its Retry-After runs', () => {
    for (const channel of CHANNELS) {
      const calls = cardCalls(harness.slack.calls, channel);
      const delivered = calls.filter((call) => call.status === 200).map((call) => JSON.stringify(call.args.blocks));
      for (const customer of CUSTOMERS) assert.equal(delivered.filter((blocks) => blocks.includes(customer.companyName)).length, 1, `${customer.companyName} in ${channel}`);
      assert.equal(delivered.length, CUSTOMERS.length);
      assert.ok(calls.some((call) => call.status === 429), 'the fault mix did throttle this channel');
      assert.deepEqual(callsDuringRetryAfter(calls), []);
    }
  });

  it('the Teams conversation gets every customer exactly once, and no call while its Retry-After runs', () => {
    const calls = harness.connector.calls.filter((call: ConnectorCall) => isPost(call) && /accepted your reseller/.test(JSON.stringify(call.body)));
    const delivered = calls.filter((call) => call.status < 300).map((call) => JSON.stringify(call.body));
    for (const customer of CUSTOMERS) assert.equal(delivered.filter((body) => body.includes(customer.companyName)).length, 1, customer.companyName);
    assert.ok(calls.some((call) => call.status === 429), 'the fault mix did throttle Teams');
    assert.deepEqual(callsDuringRetryAfter(calls), []);
  });

  it('nothing is left in the outbox and nothing died', async () => {
    const counts = await harness.bot.store.outbox.counts();
    assert.deepEqual({ pending: counts.pending, sending: counts.sending, dead: counts.dead }, { pending: 0, sending: 0, dead: 0 });
    assert.equal(counts.done, CUSTOMERS.length * (CHANNELS.length + 1));
  });
});

/** A new message: `send`, or `reply` when the stored reference points at the message the bot was spoken to in. */
function isPost(call: ConnectorCall): boolean {
  return call.route === 'send' || call.route === 'reply';
}

async function waitUntilDrained(harness: BotUnderTest): Promise<void> {
  const deadline = Date.now() + 50_000;
  while (Date.now() < deadline) {
    const counts = await harness.bot.store.outbox.counts();
    if (counts.pending === 0 && counts.sending === 0 && counts.done > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the outbox did not drain in 50 s');
}

describe('notifications: a Teams conversation that keeps saying "slow down"', function () {
  this.timeout(30_000);
  let harness: BotUnderTest;

  before(async () => {
    harness = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0' }, { deliveryTuning: { idleMs: 50, claimGapMs: 1, digest: false } });
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'subscribe accepted' }));
    await harness.connector.waitForActivities(1);
  });
  after(() => harness.stop());

  it('still gets the card once, with one call per attempt (no hidden retries) and none during a Retry-After', async () => {
    harness.connector.failNext({ status: 429, headers: { 'retry-after': '1' } }, 4, isPost);
    assert.equal(await webhookClient(harness)(events.resellerRelationshipAccepted(CUSTOMERS[0]!.id)), 200);
    await waitUntilDrained(harness);
    const posts = harness.connector.calls.filter((call) => isPost(call) && /accepted your reseller/.test(JSON.stringify(call.body)));
    assert.deepEqual(posts.map((call) => call.status), [429, 429, 429, 429, 201]);
    assert.deepEqual(callsDuringRetryAfter(posts), []);
    assert.deepEqual(await harness.bot.store.outbox.counts(), { pending: 0, sending: 0, done: 1, dead: 0 });
  });
});
