import assert from 'node:assert/strict';
import { buildPersonalMessage } from '../fakes/teams-activity.ts';
import { buildSlashCommandRequest } from '../fakes/slack-request.ts';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';

describe('Operations: health, metrics, shutdown', () => {
  let harness: BotUnderTest;

  beforeEach(async () => {
    harness = await startBotUnderTest();
  });
  afterEach(() => harness.stop());

  it('when asked, then /healthz and /readyz answer 200', async () => {
    const health = await fetch(`${harness.url}/healthz`);
    assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }]);
    assert.equal((await fetch(`${harness.url}/readyz`)).status, 200);
  });

  it('when the store stops answering, then /readyz answers 503 while /healthz stays 200', async () => {
    await harness.bot.store.close();
    assert.equal((await fetch(`${harness.url}/readyz`)).status, 503);
    assert.equal((await fetch(`${harness.url}/healthz`)).status, 200);
  });

  it('when requests were served, then /metrics counts them by route pattern, never by raw URL', async () => {
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'help' }));
    await fetch(`${harness.url}/no/such/path?token=abc`);
    const metrics = await (await fetch(`${harness.url}/metrics`)).text();
    assert.match(metrics, /http_requests_total\{route="\/api\/messages",method="POST",status="200"\} 1/);
    assert.match(metrics, /route="unmatched"/);
    assert.doesNotMatch(metrics, /no\/such\/path|token=abc/);
    assert.match(metrics, /process_cpu_user_seconds_total/);
  });

  it('when a route is called with the wrong method or an unknown path, then 405 or 404', async () => {
    assert.equal((await fetch(`${harness.url}/api/messages`)).status, 405);
    assert.equal((await fetch(`${harness.url}/nothing-here`)).status, 404);
  });

  it('when shutdown begins while a reply is still being sent, then that reply completes before the store closes', async () => {
    harness.slack.failNext({ delayMs: 600 }, 1, 'chat.postEphemeral');
    const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: 'help' });
    assert.equal((await harness.post('/slack/events', request.body, request.headers)).status, 200);
    await harness.bot.stop();
    const calls = harness.slack.callsOf('chat.postEphemeral');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.status, 200, 'the slow reply was delivered, not cut off');
    await assert.rejects(fetch(`${harness.url}/healthz`), 'the server no longer accepts connections');
  });

  it('when requests fail authentication, then no secret appears in the logs', async () => {
    const forged = buildSlashCommandRequest({ signingSecret: 'wrong', text: 'help' });
    await harness.post('/slack/events', forged.body, forged.headers);
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'help' }), { authorization: 'Bearer sentinel-bearer' });
    const logged = harness.logs.text();
    assert.ok(logged.length > 0, 'something was logged');
    for (const secret of [SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, 'sentinel-bearer', forged.headers['x-slack-signature'] ?? '']) {
      assert.ok(!logged.includes(secret), `log contains ${secret}`);
    }
  });
});
