import assert from 'node:assert/strict';
import { SLACK_ADMIN_USER, SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from '../component/support/bot-under-test.ts';
import { buildAppMentionRequest, buildSlashCommandRequest, buildUrlVerificationRequest, signSlackRequest, type SignedSlackRequest } from '../fakes/slack-request.ts';
import { assertStoreUnchanged, observeStore } from './support/store-snapshot.ts';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** `subscribe accepted` from an admin: taken, it stores a subscription, so "nothing stored" means something. */
const subscribe = (timestampSeconds?: number, kind = 'accepted'): SignedSlackRequest =>
  buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: `subscribe ${kind}`, userId: SLACK_ADMIN_USER, timestampSeconds });

const withHeaders = (request: SignedSlackRequest, headers: Record<string, string | undefined>): SignedSlackRequest => ({
  body: request.body,
  headers: Object.fromEntries(Object.entries({ ...request.headers, ...headers }).filter((entry): entry is [string, string] => entry[1] !== undefined)),
});

const FORGED: Array<{ when: string; request: () => SignedSlackRequest }> = [
  { when: 'the signature is made up', request: () => withHeaders(subscribe(), { 'x-slack-signature': `v0=${'ab'.repeat(32)}` }) },
  { when: 'the signature was made with another signing secret', request: () => buildSlashCommandRequest({ signingSecret: 'not-our-secret', text: 'subscribe accepted', userId: SLACK_ADMIN_USER }) },
  { when: 'the body was changed after signing', request: () => ({ ...subscribe(), body: subscribe().body.replace('subscribe+accepted', 'subscribe+all') }) },
  { when: 'the signature is missing', request: () => withHeaders(subscribe(), { 'x-slack-signature': undefined }) },
  { when: 'the timestamp is missing', request: () => withHeaders(subscribe(), { 'x-slack-request-timestamp': undefined }) },
  { when: 'the signature uses another version prefix', request: () => withHeaders(subscribe(), { 'x-slack-signature': subscribe().headers['x-slack-signature']!.replace('v0=', 'v1=') }) },
  { when: 'the signature is upper-case hex', request: () => withHeaders(subscribe(), { 'x-slack-signature': subscribe().headers['x-slack-signature']!.toUpperCase().replace('V0=', 'v0=') }) },
  { when: 'the signature is truncated', request: () => withHeaders(subscribe(), { 'x-slack-signature': subscribe().headers['x-slack-signature']!.slice(0, 40) }) },
  {
    when: 'the timestamp header was changed after signing',
    request: () => {
      const request = subscribe();
      return withHeaders(request, { 'x-slack-request-timestamp': String(Number(request.headers['x-slack-request-timestamp']) + 1) });
    },
  },
  { when: 'the timestamp is not a number (but signed)', request: () => signedAt('1700000000abc') },
  { when: 'the timestamp is negative (but signed)', request: () => signedAt('-5') },
];

const REPLAYED: Array<{ when: string; offsetSeconds: number }> = [
  { when: 'the request was signed 301 s ago (a replay just outside the window)', offsetSeconds: -301 },
  { when: 'the request was signed a day ago', offsetSeconds: -86_400 },
  { when: 'the request is dated 301 s in the future', offsetSeconds: 301 },
  { when: 'the request is dated a year in the future', offsetSeconds: 365 * 86_400 },
];

/** A correctly signed body under any timestamp text, to reach the timestamp parsing itself. */
function signedAt(timestamp: string): SignedSlackRequest {
  const body = subscribe().body;
  const headers = signSlackRequest(SLACK_SIGNING_SECRET, body, timestamp as unknown as number);
  return { body, headers };
}

describe('security: Slack requests must be signed, and recently', function () {
  this.timeout(30_000);
  let harness: BotUnderTest;

  before(async () => {
    harness = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0' });
  });
  after(() => harness.stop());

  async function assertRefused(request: SignedSlackRequest): Promise<void> {
    const calls = harness.slack.calls.length;
    await assertStoreUnchanged(harness.storeFile, async () => {
      const response = await harness.post('/slack/events', request.body, request.headers);
      assert.equal(response.status, 401, await response.text());
      // Listeners work after the ack: give a wrongly accepted request the time to show itself.
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    assert.deepEqual(harness.slack.calls.slice(calls).map((call) => call.method), [], 'no call to the Slack API');
  }

  for (const { when, request } of FORGED) {
    it(`when ${when}, then 401, nothing is stored and Slack is not called`, () => assertRefused(request()));
  }

  for (const { when, offsetSeconds } of REPLAYED) {
    it(`when ${when}, then 401, nothing is stored and Slack is not called`, () => assertRefused(subscribe(nowSeconds() + offsetSeconds)));
  }

  it('when an event or a URL verification is forged, then 401 and no challenge is echoed', async () => {
    await assertRefused(buildAppMentionRequest({ signingSecret: 'not-our-secret', text: 'request relationship' }));
    const verification = buildUrlVerificationRequest({ signingSecret: 'not-our-secret', challenge: 'echo-me' });
    const response = await harness.post('/slack/events', verification.body, verification.headers);
    assert.equal(response.status, 401);
    assert.doesNotMatch(await response.text(), /echo-me/);
  });

  it('when an unsigned body says ssl_check=1, then it is still 401', () => assertRefused({ body: 'ssl_check=1&token=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));

  it('when the same request is signed 299 s ago or 299 s ahead, then it is taken and the subscription stored (so the refusals fail for their own reason)', async () => {
    for (const [offset, kind] of [[-299, 'gdap'], [299, 'expiring']] as const) {
      const request = subscribe(nowSeconds() + offset, kind);
      const { changed } = await observeStore(harness.storeFile, async () => {
        assert.equal((await harness.post('/slack/events', request.body, request.headers)).status, 200);
        await harness.slack.waitForCalls('chat.postMessage', offset < 0 ? 1 : 2);
      });
      assert.ok(changed, `offset ${offset}: something was stored`);
    }
  });
});
