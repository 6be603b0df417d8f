import assert from 'node:assert/strict';
import sinon from 'sinon';
import { createRelationshipRequestUrl } from '../../src/simulator/customers.routes.ts';
import { SIMULATOR_PARTNER_TENANT_ID } from '../../src/simulator/defaults.ts';
import type { SimulatorControls } from '../../src/simulator/controls.ts';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders } from '../../src/simulator/webhooks/index.ts';
import { generateSigningKey } from '../fakes/fake-bot-openid.ts';
import { signSlackRequest } from '../fakes/slack-request.ts';
import { buildPersonalMessage, FAKE_BOT_APP_ID } from '../fakes/teams-activity.ts';
import { startLiveBot, type LiveBot } from './support/live-bot.ts';
import { findLeaks, SENTINELS, SLACK_SIGNING_SECRET_SENTINEL } from './support/sentinels.ts';

const LINK = createRelationshipRequestUrl(SIMULATOR_PARTNER_TENANT_ID);
const RELATIONSHIP_REQUESTS = '/v1/customers/relationshiprequests';
const events = createWebhookEventBuilders();

/** Partner Center and Entra failures, each set up before one `request relationship` from Slack. */
const PARTNER_CENTER_FAILURES: Array<[string, (controls: SimulatorControls) => void]> = [
  ['Partner Center answers 403', (c) => c.failNext(1, 403, RELATIONSHIP_REQUESTS)],
  ['Partner Center throttles (429) longer than the bot waits', (c) => c.throttleNext(1, 57, RELATIONSHIP_REQUESTS)],
  ['Partner Center keeps failing (503)', (c) => c.failNext(10, 503, RELATIONSHIP_REQUESTS)],
  ['Partner Center answers 500', (c) => c.failNext(10, 500, RELATIONSHIP_REQUESTS)],
  ['Partner Center does not answer in time', (c) => c.delayNext(10, 800, RELATIONSHIP_REQUESTS)],
  ['Partner Center drops the connection', (c) => c.dropNext(10, RELATIONSHIP_REQUESTS)],
  ['Partner Center answers with something that is not JSON', (c) => c.malformNext(10, 'not-json', RELATIONSHIP_REQUESTS)],
  ['Partner Center answers JSON of the wrong shape', (c) => c.malformNext(10, 'wrong-shape', RELATIONSHIP_REQUESTS)],
  ['Partner Center answers an http link', (c) => c.malformNext(10, 'insecure-url', RELATIONSHIP_REQUESTS)],
  ['Entra refuses the token request', (c) => c.failNext(3, 400, `/${SIMULATOR_PARTNER_TENANT_ID}/oauth2`)],
  ['Entra does not answer in time', (c) => c.delayNext(3, 800, `/${SIMULATOR_PARTNER_TENANT_ID}/oauth2`)],
  // Last: the bot cannot get a working refresh token back from here.
  ['Partner Center answers 401 and the refresh token has expired', (c) => (c.expireRefreshTokens(), c.failNext(1, 401, RELATIONSHIP_REQUESTS))],
];

describe('security: sentinel secrets never reach the logs or /metrics, whatever fails', function () {
  this.timeout(60_000);
  let bot: LiveBot;
  let consoleOutput: sinon.SinonSpy[];

  before(async () => {
    // botbuilder writes some refusals to the console itself: those count as logs too.
    consoleOutput = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => sinon.spy(console, method));
    // No link cache: every request below reaches Partner Center and its failure path.
    bot = await startLiveBot({ INVITATION_LINK_CACHE_MINUTES: '0' });
  });
  after(async () => {
    sinon.restore();
    await bot.stop();
  });

  /** `/partner <text>` from Slack, then wait for whatever the bot answered there. */
  async function askInSlack(text: string): Promise<void> {
    const before = bot.harness.slack.calls.length;
    assert.equal(await bot.slackCommand(text), 200);
    const deadline = Date.now() + 10_000;
    while (!bot.harness.slack.calls.slice(before).some((call) => call.method.startsWith('chat.')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  it('when every failure path runs, then no sentinel and no invitation link appears in any log line, console output or /metrics', async () => {
    const controls = bot.simulator.controls;
    const { harness, openId } = bot;

    // The link, once, so there is a link to leak.
    await askInSlack('request relationship');
    assert.ok(JSON.stringify(harness.slack.calls.map((call) => call.args)).includes(LINK), 'the link was posted to Slack (so the search below can find it)');
    await askInSlack(`status ${SAMPLE_CUSTOMERS[0]!.id}`);
    for (const [, arrange] of PARTNER_CENTER_FAILURES) {
      arrange(controls);
      await askInSlack('request relationship');
    }

    // Webhooks: wrong token, right token with a bad signature, missing headers, a certificate URL elsewhere.
    const signed = bot.signWebhook(events.resellerRelationshipAccepted(SAMPLE_CUSTOMERS[0]!.id));
    await bot.postWebhook({ ...signed, url: signed.url.replace(/token=[^&]*/, 'token=wrong') });
    await bot.postWebhook({ ...signed, body: Buffer.from(`${signed.body.toString('utf8')} `) });
    await bot.postWebhook({ ...signed, headers: { 'content-type': 'application/json' } });
    await bot.postWebhook({ ...signed, headers: { ...signed.headers, 'x-ms-certificate-url': 'https://evil.example/cert/x.cer' } });

    // Slack: a signature made with our secret over other bytes, an old one, none.
    const body = 'command=%2Fpartner&text=help&team_id=T0FAKETEAM&user_id=U0FAKEUSER&channel_id=C0FAKECHAN';
    await harness.post('/slack/events', `${body}&x=1`, signSlackRequest(SLACK_SIGNING_SECRET_SENTINEL, body));
    await harness.post('/slack/events', body, signSlackRequest(SLACK_SIGNING_SECRET_SENTINEL, body, Math.floor(Date.now() / 1000) - 3600));
    await harness.post('/slack/events', body, { 'content-type': 'application/x-www-form-urlencoded' });

    // Teams: no token, expired, wrong audience, forged.
    const activity = buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'help' });
    const now = Math.floor(Date.now() / 1000);
    for (const authorization of [
      undefined,
      `Bearer ${openId.tokenFor(FAKE_BOT_APP_ID, harness.connector.url, { exp: now - 900, nbf: now - 3600 })}`,
      `Bearer ${openId.tokenFor('another-app', harness.connector.url)}`,
      `Bearer ${openId.sign({ aud: FAKE_BOT_APP_ID, serviceurl: harness.connector.url }, { key: generateSigningKey() })}`,
    ]) {
      assert.equal((await harness.post('/api/messages', activity, authorization ? { authorization } : {})).status, 401);
    }

    const metrics = await (await fetch(`${harness.url}/metrics`)).text();
    const consoleText = consoleOutput.flatMap((spy) => spy.getCalls().map((call) => call.args.map((arg: unknown) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : String(arg))).join(' '))).join('\n');
    const secrets = { ...SENTINELS, 'the invitation link': LINK, 'the partner id of the link': `partnerId=${SIMULATOR_PARTNER_TENANT_ID}` };
    assert.ok(harness.logs.lines.length > 20, 'the failure paths were logged');
    assert.ok(harness.logs.lines.some((line) => line.msg === 'Partner Center call failed'), 'the Partner Center failures reached the log');
    const leakingLines = harness.logs.text().split('\n').filter((line) => findLeaks(line, secrets).length > 0);
    assert.deepEqual(leakingLines.map((line) => `${findLeaks(line, secrets).join(', ')} in ${line.slice(0, 300)}`), [], 'captured log lines');
    assert.deepEqual(findLeaks(consoleText, secrets), [], 'console output');
    assert.deepEqual(findLeaks(metrics, secrets), [], '/metrics');
  });

  it('when the search is given a log that does contain a sentinel, then it names it (so the test above can fail)', () => {
    assert.deepEqual(findLeaks(`{"msg":"x","detail":"${SENTINELS.SECRETS_KEY}"}`), ['SECRETS_KEY']);
  });
});
