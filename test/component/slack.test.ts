import assert from 'node:assert/strict';
import {
  buildAppMentionRequest,
  buildBlockActionsRequest,
  buildDirectMessageRequest,
  buildEventCallbackPayload,
  buildSlashCommandRequest,
  buildUrlVerificationRequest,
  signSlackRequest,
} from '../fakes/slack-request.ts';
import { SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';

const signingSecret = SLACK_SIGNING_SECRET;

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function textOf(blocks: unknown): string {
  return JSON.stringify(blocks);
}

describe('Slack: POST /slack/events', () => {
  let harness: BotUnderTest;

  beforeEach(async () => {
    harness = await startBotUnderTest();
  });
  afterEach(() => harness.stop());

  const send = (request: { body: string; headers: Record<string, string> }) => harness.post('/slack/events', request.body, request.headers);

  it('when /partner help is signed, then it is acknowledged and the help blocks land at the Slack API', async () => {
    const response = await send(buildSlashCommandRequest({ signingSecret, text: 'help' }));
    assert.equal(response.status, 200);
    const [call] = await harness.slack.waitForCalls('chat.postEphemeral', 1);
    assert.equal(call?.args.channel, 'C0FAKECHAN');
    assert.equal(call?.args.user, 'U0FAKEUSER');
    assert.match(textOf(call?.args.blocks), /language de\|en/);
    assert.ok(Array.isArray(call?.args.blocks) && call.args.blocks.length > 0);
  });

  it('when the bot is @mentioned with help, then the mention is stripped and help answers', async () => {
    assert.equal((await send(buildAppMentionRequest({ signingSecret, text: 'help' }))).status, 200);
    const [call] = await harness.slack.waitForCalls('chat.postEphemeral', 1);
    assert.match(textOf(call?.args.blocks), /help/);
  });

  it('when a direct message says hilfe from a German profile, then the German card is posted as a message', async () => {
    harness.slack.setUser({ id: 'U0FAKEUSER', locale: 'de-DE' });
    await send(buildDirectMessageRequest({ signingSecret, text: 'hilfe', channelId: 'D0FAKEDM' }));
    const [call] = await harness.slack.waitForCalls('chat.postMessage', 1);
    assert.equal(call?.args.channel, 'D0FAKEDM');
    assert.match(textOf(call?.args.blocks), /Befehle/);
  });

  it('when a suggestion button is clicked, then its command runs', async () => {
    await send(buildBlockActionsRequest({ signingSecret, actionId: 'command', value: JSON.stringify({ action: 'command', text: 'help' }) }));
    const [call] = await harness.slack.waitForCalls('chat.postEphemeral', 1);
    assert.match(textOf(call?.args.blocks), /language de\|en/);
  });

  it('when Slack retries an event it already delivered, then the bot answers once', async () => {
    const first = buildAppMentionRequest({ signingSecret, text: 'help', eventId: 'Ev0RETRY1' });
    const retry = buildAppMentionRequest({ signingSecret, text: 'help', eventId: 'Ev0RETRY1', retryNum: 1 });
    await send(first);
    await harness.slack.waitForCalls('chat.postEphemeral', 1);
    assert.equal((await send(retry)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(harness.slack.callsOf('chat.postEphemeral').length, 1);
  });

  it('when the workspace is not on the allow-list, then it gets the refusal and nothing else', async () => {
    await send(buildSlashCommandRequest({ signingSecret, text: 'language de', teamId: 'T0STRANGER' }));
    const [call] = await harness.slack.waitForCalls('chat.postEphemeral', 1);
    assert.match(textOf(call?.args.blocks), /can't use this bot/);
    assert.equal(harness.slack.callsOf('chat.postMessage').length, 0);
  });

  it('when the signature is forged or missing, then 401 and nothing is posted', async () => {
    const forged = buildSlashCommandRequest({ signingSecret: 'not-the-secret', text: 'help' });
    assert.equal((await send(forged)).status, 401);
    const unsigned = buildSlashCommandRequest({ signingSecret, text: 'help' });
    delete unsigned.headers['x-slack-signature'];
    assert.equal((await send(unsigned)).status, 401);
    const tampered = buildSlashCommandRequest({ signingSecret, text: 'help' });
    assert.equal((await harness.post('/slack/events', tampered.body.replace('help', 'hilfe'), tampered.headers)).status, 401);
    assert.equal(harness.slack.calls.filter((call) => call.method.startsWith('chat.')).length, 0);
  });

  it('when the timestamp is six minutes old or six minutes ahead, then 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const timestampSeconds of [now - 360, now + 360]) {
      assert.equal((await send(buildSlashCommandRequest({ signingSecret, text: 'help', timestampSeconds }))).status, 401);
    }
  });

  it('when a signed ssl_check arrives, then 200; unsigned, then 401', async () => {
    const body = 'ssl_check=1&token=x';
    assert.equal((await harness.post('/slack/events', body, signSlackRequest(signingSecret, body))).status, 200);
    assert.equal((await harness.post('/slack/events', body, { 'content-type': 'application/x-www-form-urlencoded' })).status, 401);
  });

  it('when Slack verifies the URL, then the challenge comes back', async () => {
    const response = await send(buildUrlVerificationRequest({ signingSecret, challenge: 'abc123' }));
    assert.deepEqual(await response.json(), { challenge: 'abc123' });
  });

  it('when the bot joins a channel and later leaves it, then the conversation reference is stored and forgotten', async () => {
    const references = harness.bot.store.namespace<{ reference: { channelId: string } }>('conversation-references');
    const key = 'slack:T0FAKETEAM:C0NOTIFY';
    const joined = { type: 'member_joined_channel', user: 'U0FAKEBOT', channel: 'C0NOTIFY', channel_type: 'C', team: 'T0FAKETEAM', event_ts: '1.1' };
    const joinBody = JSON.stringify(buildEventCallbackPayload(joined, { eventId: 'Ev0JOIN' }));
    assert.equal((await harness.post('/slack/events', joinBody, signSlackRequest(signingSecret, joinBody))).status, 200);
    await waitUntil(async () => (await references.get(key)) !== undefined);
    assert.equal((await references.get(key))?.reference.channelId, 'C0NOTIFY');
    const leftBody = JSON.stringify(buildEventCallbackPayload({ type: 'channel_left', channel: 'C0NOTIFY', actor_id: 'U1', event_ts: '1.2' }, { eventId: 'Ev0LEFT' }));
    await harness.post('/slack/events', leftBody, signSlackRequest(signingSecret, leftBody));
    await waitUntil(async () => (await references.get(key)) === undefined);
  });

  it('when someone else joins a channel, then nothing is stored', async () => {
    const joined = { type: 'member_joined_channel', user: 'U0SOMEONE', channel: 'C0OTHER', channel_type: 'C', team: 'T0FAKETEAM', event_ts: '1.1' };
    const body = JSON.stringify(buildEventCallbackPayload(joined, { eventId: 'Ev0JOIN2' }));
    assert.equal((await harness.post('/slack/events', body, signSlackRequest(signingSecret, body))).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await harness.bot.store.namespace('conversation-references').get('slack:T0FAKETEAM:C0OTHER'), undefined);
  });

  it('when the signed body is unreadable, then 400', async () => {
    const body = '{not json';
    assert.equal((await harness.post('/slack/events', body, signSlackRequest(signingSecret, body, undefined, 'application/json'))).status, 400);
  });
});
