import assert from 'node:assert/strict';
import fc from 'fast-check';
import { signWebhookBody } from '../../src/simulator/webhooks/index.ts';
import { generateSigningKey } from '../fakes/fake-bot-openid.ts';
import { signSlackRequest } from '../fakes/slack-request.ts';
import { FAKE_BOT_APP_ID } from '../fakes/teams-activity.ts';
import { fixtureText } from '../unit/integrations/webhook/support.ts';
import { anyBody, assertNoEffect, contentType, extraHeaders, headerValue, objectWith, post, RUNS } from './support/fuzz.ts';
import { startLiveBot, type LiveBot } from './support/live-bot.ts';
import { SLACK_SIGNING_SECRET_SENTINEL, WEBHOOK_TOKEN_SENTINEL } from './support/sentinels.ts';

describe('security: fuzzing the three ingress parsers through the real server', function () {
  this.timeout(60_000);
  let bot: LiveBot;

  before(async () => {
    bot = await startLiveBot();
  });
  after(async () => {
    const ready = await fetch(`${bot.harness.url}/readyz`);
    assert.equal(ready.status, 200, 'the bot is still up after the fuzzing');
    await bot.stop();
  });

  it('when arbitrary bodies and headers reach /api/messages with an app id set, then never a 5xx, nothing stored, the connector never called', async () => {
    const { harness, openId } = bot;
    const now = Math.floor(Date.now() / 1000);
    const authorization = fc.oneof(
      fc.constant(undefined),
      headerValue,
      headerValue.map((token) => `Bearer ${token}`),
      fc.jsonValue({ maxDepth: 2 }).map((claims) => `Bearer ${openId.sign({ aud: FAKE_BOT_APP_ID, extra: claims }, { key: generateSigningKey() })}`),
      fc.record({ aud: fc.string({ maxLength: 40 }), serviceurl: fc.string({ maxLength: 40 }), exp: fc.integer({ min: 0, max: now - 600 }) }).map((claims) => `Bearer ${openId.sign(claims)}`),
      fc.constantFrom('none', 'HS256', 'RS512', '').map((alg) => `Bearer ${openId.sign({ aud: FAKE_BOT_APP_ID }, { alg })}`),
    );
    const activity = objectWith({ type: fc.string(), serviceUrl: fc.string(), conversation: fc.record({ id: fc.string() }), text: fc.string(), value: fc.jsonValue({ maxDepth: 2 }), channelData: fc.jsonValue({ maxDepth: 2 }) }).map((value) => Buffer.from(JSON.stringify(value)));
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyBody, activity), authorization, contentType, extraHeaders, async (body, auth, type, headers) => {
        const calls = harness.connector.calls.length;
        await assertNoEffect(harness, () => post(`${harness.url}/api/messages`, body, { ...headers, 'content-type': type, authorization: auth }));
        assert.equal(harness.connector.calls.length, calls);
      }),
      RUNS,
    );
  });

  it('when arbitrary bodies arrive at /slack/events without a valid signature, then 401, nothing stored, Slack never called', async () => {
    const { harness } = bot;
    const nowSeconds = Math.floor(Date.now() / 1000);
    const signatureHeaders = fc.record(
      { 'x-slack-signature': fc.oneof(headerValue, fc.stringMatching(/^v0=[0-9a-f]{64}$/)), 'x-slack-request-timestamp': fc.oneof(headerValue, fc.integer({ min: nowSeconds - 1000, max: nowSeconds + 1000 }).map(String)) },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(anyBody, contentType, signatureHeaders, extraHeaders, async (body, type, signature, headers) => {
        const calls = harness.slack.calls.length;
        const status = await assertNoEffect(harness, () => post(`${harness.url}/slack/events`, body, { ...headers, ...signature, 'content-type': type }));
        assert.equal(status, 401);
        assert.equal(harness.slack.calls.length, calls);
      }),
      RUNS,
    );
  });

  it('when arbitrary bodies arrive at /slack/events correctly signed (from workspaces not allowed), then never a 5xx and nothing stored', async () => {
    const { harness } = bot;
    const team = fc.stringMatching(/^T[A-Z0-9]{0,10}$/).filter((id) => id !== 'T0FAKETEAM');
    const envelope = objectWith({
      type: fc.constantFrom('event_callback', 'url_verification', 'block_actions', 'view_submission', 'app_rate_limited'),
      team_id: team,
      event_id: fc.string({ maxLength: 12 }),
      challenge: fc.string(),
      team: fc.record({ id: team }),
      user: fc.record({ id: fc.string(), team_id: team }),
      event: objectWith({ type: fc.constantFrom('app_mention', 'message', 'member_joined_channel', 'app_home_opened'), text: fc.string(), user: fc.string(), channel: fc.string(), team, channel_type: fc.constantFrom('im', 'channel', 'mpim') }),
      actions: fc.array(objectWith({ action_id: fc.string(), value: fc.oneof(fc.string(), fc.json()) }), { maxLength: 2 }),
    });
    const slackBody = fc.oneof(
      anyBody,
      envelope.map((value) => Buffer.from(JSON.stringify(value))),
      envelope.map((value) => Buffer.from(new URLSearchParams({ payload: JSON.stringify(value) }).toString())),
      fc.record({ command: fc.constantFrom('/partner', '/other'), text: fc.string(), team_id: team, user_id: fc.string(), channel_id: fc.string() }).map((fields) => Buffer.from(new URLSearchParams(fields).toString())),
    );
    const chatCalls = harness.slack.calls.length;
    await fc.assert(
      fc.asyncProperty(slackBody, contentType, extraHeaders, async (body, type, headers) => {
        const signed = signSlackRequest(SLACK_SIGNING_SECRET_SENTINEL, body.toString('utf8'), undefined, type);
        // Event ids are claimed for Slack's retries (a dedupe key with a TTL, not business state).
        await assertNoEffect(harness, () => post(`${harness.url}/slack/events`, Buffer.from(body.toString('utf8')), { ...headers, ...signed }), { ignore: ['claims'] });
      }),
      RUNS,
    );
    assert.ok(harness.slack.calls.length > chatCalls, 'some runs got past the parser to a listener that answered');
  });

  it('when arbitrary bodies and headers reach the Partner Center webhook, then never a 5xx, and only a correctly signed JSON object is stored', async () => {
    const { harness, certServer } = bot;
    const key = fixtureText('simulator-signing.key.pem');
    const goodUrl = `${certServer.url}/cert/simulator-signing.cer`;
    const webhookBody = fc.oneof(
      anyBody,
      objectWith({ EventName: fc.string(), ResourceUri: fc.oneof(fc.webUrl(), fc.string()), ResourceName: fc.string(), AuditUri: fc.oneof(fc.webUrl(), fc.constant(null)), ResourceChangeUtcDate: fc.string() }).map((value) => Buffer.from(JSON.stringify(value))),
    );
    const delivery = fc.record({
      body: webhookBody,
      signed: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
      signature: headerValue,
      signatureHeader: fc.constantFrom('authorization', 'x-ms-signature'),
      certificateUrl: fc.oneof({ arbitrary: fc.constant(goodUrl), weight: 4 }, { arbitrary: headerValue, weight: 1 }, { arbitrary: fc.webUrl(), weight: 1 }),
      algorithm: fc.oneof({ arbitrary: fc.constant('rsa-sha256'), weight: 4 }, { arbitrary: headerValue, weight: 1 }),
      token: fc.oneof({ arbitrary: fc.constant(WEBHOOK_TOKEN_SENTINEL), weight: 4 }, { arbitrary: fc.string({ maxLength: 30 }), weight: 1 }),
      type: contentType,
      headers: extraHeaders,
    });
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(delivery, async (d) => {
        const signature = d.signed ? `Signature ${signWebhookBody(d.body, key)}` : d.signature;
        const headers = { ...d.headers, 'content-type': d.type, [d.signatureHeader]: signature, 'x-ms-certificate-url': d.certificateUrl, 'x-ms-signature-algorithm': d.algorithm };
        const url = `${harness.url}/api/partner-center/webhook?token=${encodeURIComponent(d.token)}`;
        const status = await assertNoEffect(harness, () => post(url, d.body, headers), { taken: (answered) => answered === 200 });
        const valid = d.signed && d.certificateUrl === goodUrl && d.algorithm === 'rsa-sha256' && d.token === WEBHOOK_TOKEN_SENTINEL;
        const jsonObject = (() => {
          try {
            const value: unknown = JSON.parse(d.body.toString('utf8'));
            return typeof value === 'object' && value !== null && !Array.isArray(value);
          } catch {
            return false;
          }
        })();
        assert.equal(status === 200, valid && jsonObject, `status ${status} for valid=${valid} jsonObject=${jsonObject}`);
        statuses.add(status);
      }),
      RUNS,
    );
    assert.ok(statuses.has(200) && statuses.has(401) && statuses.has(400), `the runs reached acceptance and both refusals: ${[...statuses].join(',')}`);
  });
});
