import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { App, HTTPReceiver, LogLevel, isValidSlackRequest } from '@slack/bolt';
import { createFakeSlackApi, RESPONSE_URL_METHOD, type FakeSlackApi } from '../../fakes/fake-slack-api.ts';
import { closeServer, listenOnLoopback } from '../../fakes/http.ts';
import {
  buildAppMentionEvent,
  buildAppMentionRequest,
  buildBlockActionsPayload,
  buildBlockActionsRequest,
  buildDirectMessageEvent,
  buildDirectMessageRequest,
  buildEventCallbackPayload,
  buildSlashCommandPayload,
  buildSlashCommandRequest,
  buildUrlVerificationRequest,
  signSlackRequest,
  type SignedSlackRequest,
} from '../../fakes/slack-request.ts';
import { toKeyPaths } from './key-paths.ts';

const SECRET = 'fake-signing-secret-8f14e45f';

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/slack/${name}.json`, import.meta.url), 'utf8'));
}

describe('signed Slack requests', () => {
  it('signs v0:{timestamp}:{body} with HMAC-SHA256 exactly as an independent computation does', () => {
    const body = 'token=x&text=hello%20world';
    const headers = signSlackRequest(SECRET, body, 1_700_000_000);
    const expected = createHmac('sha256', SECRET).update(Buffer.from(`v0:1700000000:${body}`, 'utf8')).digest('hex');
    assert.equal(headers['x-slack-signature'], `v0=${expected}`);
    assert.equal(headers['x-slack-request-timestamp'], '1700000000');
    assert.equal(headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(signSlackRequest(SECRET, '{"a":1}')['content-type'], 'application/json');
  });

  it('produces signatures that Bolt verification accepts, and only with the right secret', () => {
    const { body, headers } = buildAppMentionRequest({ signingSecret: SECRET, text: 'help' });
    const verify = (secret: string): boolean =>
      isValidSlackRequest({
        signingSecret: secret,
        body,
        headers: { 'x-slack-signature': headers['x-slack-signature'] ?? '', 'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']) },
      });
    assert.equal(verify(SECRET), true);
    assert.equal(verify('another-secret'), false);
  });

  it('builds payloads with the same shape as the recorded fixtures', () => {
    const shapes: Array<[string, unknown]> = [
      ['slash-command', buildSlashCommandPayload({ text: 'invite x' })],
      ['event-app-mention', buildEventCallbackPayload(buildAppMentionEvent({ text: 'x' }), {})],
      ['event-message-im', buildEventCallbackPayload(buildDirectMessageEvent({ text: 'x' }), {})],
      ['block-actions', buildBlockActionsPayload({ actionId: 'a', value: 'v', blockId: 'b' })],
    ];
    for (const [fixture, built] of shapes) assert.deepEqual(toKeyPaths(built), toKeyPaths(readFixture(fixture)), fixture);
  });

  it('adds Slack retry headers outside the signature', () => {
    const { headers } = buildAppMentionRequest({ signingSecret: SECRET, text: 'x', retryNum: 1 });
    assert.equal(headers['x-slack-retry-num'], '1');
    assert.equal(headers['x-slack-retry-reason'], 'http_timeout');
  });
});

describe('signed Slack requests through a real Bolt app talking to the fake Slack API', () => {
  let fakeSlack: FakeSlackApi;
  let eventsUrl: string;
  let stopBolt: () => Promise<void>;
  const seen: Record<string, unknown> = {};

  before(async () => {
    fakeSlack = createFakeSlackApi({ token: 'xoxb-bolt' });
    const { apiUrl } = await fakeSlack.start();
    const receiver = new HTTPReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
    const app = new App({ token: 'xoxb-bolt', receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: apiUrl } });
    app.command('/partner', async ({ ack, command, respond }) => {
      await ack();
      seen.command = command;
      await respond({ text: `ran ${command.text}`, response_type: 'ephemeral' });
    });
    app.event('app_mention', async ({ event, say }) => {
      await say({ text: `hi <@${event.user}>`, thread_ts: event.ts });
    });
    app.message(async ({ message, say }) => {
      seen.message = message;
      await say('dm answer');
    });
    app.action('restore', async ({ ack, action }) => {
      seen.action = action;
      await ack();
    });
    const { server, url } = await listenOnLoopback(async (req, res) => receiver.requestListener(req, res));
    eventsUrl = `${url}/slack/events`;
    stopBolt = () => closeServer(server);
  });
  after(async () => {
    await stopBolt();
    await fakeSlack.stop();
  });

  const send = (request: SignedSlackRequest): Promise<Response> => fetch(eventsUrl, { method: 'POST', ...request });

  it('runs a slash command and answers through the response_url on the fake', async () => {
    const response = await send(buildSlashCommandRequest({ signingSecret: SECRET, text: 'invite contoso', responseUrl: fakeSlack.responseUrl('cmd') }));
    assert.equal(response.status, 200);
    const [call] = await fakeSlack.waitForCalls(RESPONSE_URL_METHOD, 1, 2000);
    assert.equal(call?.args.text, 'ran invite contoso');
    assert.equal((seen.command as { team_id: string }).team_id, 'T0FAKETEAM');
  });

  it('delivers an app_mention whose reply lands in the thread on the fake', async () => {
    assert.equal((await send(buildAppMentionRequest({ signingSecret: SECRET, text: 'help', ts: '1761812400.000100' }))).status, 200);
    const [post] = await fakeSlack.waitForCalls('chat.postMessage', 1, 2000);
    assert.equal(post?.args.channel, 'C0FAKECHAN');
    assert.equal(post?.args.thread_ts, '1761812400.000100');
    assert.equal(post?.args.text, 'hi <@U0FAKEUSER>');
    assert.equal(fakeSlack.callsOf('auth.test')[0]?.token, 'xoxb-bolt', 'Bolt verified its token against the fake');
  });

  it('delivers a DM message with channel_type im', async () => {
    assert.equal((await send(buildDirectMessageRequest({ signingSecret: SECRET, text: 'status' }))).status, 200);
    const calls = await fakeSlack.waitForCalls('chat.postMessage', 2, 2000);
    assert.equal(calls[1]?.args.channel, 'D0FAKEDM');
    assert.equal((seen.message as { channel_type: string }).channel_type, 'im');
  });

  it('delivers a block_actions payload from the form-encoded payload field', async () => {
    assert.equal((await send(buildBlockActionsRequest({ signingSecret: SECRET, actionId: 'restore', value: 'tenant-1' }))).status, 200);
    assert.deepEqual((seen.action as { value: string }).value, 'tenant-1');
  });

  it('answers url_verification with the challenge', async () => {
    const response = await send(buildUrlVerificationRequest({ signingSecret: SECRET, challenge: 'abc123' }));
    assert.equal(response.status, 200);
    assert.match(await response.text(), /abc123/);
  });

  it('is refused by Bolt when signed with another secret or a stale timestamp', async () => {
    const forged = buildSlashCommandRequest({ signingSecret: 'wrong', text: 'x' });
    const stale = buildSlashCommandRequest({ signingSecret: SECRET, text: 'x', timestampSeconds: Math.floor(Date.now() / 1000) - 600 });
    assert.equal((await send(forged)).status, 401);
    assert.equal((await send(stale)).status, 401);
  });
});
