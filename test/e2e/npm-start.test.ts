import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFakeBotConnector, type FakeBotConnector } from '../fakes/fake-bot-connector.ts';
import { createFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { DEFAULT_IDENTITY } from '../fakes/slack-api-methods.ts';
import { buildSlashCommandRequest } from '../fakes/slack-request.ts';
import { buildPersonalMessage, FAKE_TENANT_ID } from '../fakes/teams-activity.ts';
import { runNpmStartToExit, startNpm, type BotProcess } from './support/bot-process.ts';

const SIGNING_SECRET = 'e2e-signing-secret';

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const status = await fetch(`${url}/readyz`).then((response) => response.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`/readyz did not answer 200 within ${timeoutMs} ms`);
}

describe('e2e: npm start', function () {
  this.timeout(60_000);
  let folder: string;
  let connector: FakeBotConnector;
  let slack: FakeSlackApi;
  let bot: BotProcess;

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'bot-e2e-'));
    connector = createFakeBotConnector();
    slack = createFakeSlackApi();
    await Promise.all([connector.start(), slack.start()]);
    bot = await startNpm({
      PORT: '0',
      STORE_URL: `sqlite://${path.join(folder, 'bot.sqlite')}`,
      LOG_LEVEL: 'info',
      TEAMS_ALLOWED_TENANTS: FAKE_TENANT_ID,
      SLACK_BOT_TOKEN: 'xoxb-e2e',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_ALLOWED_TEAMS: DEFAULT_IDENTITY.team_id,
    });
  });

  after(async () => {
    await bot?.stop('SIGKILL');
    await Promise.all([connector?.stop(), slack?.stop()]);
    rmSync(folder, { recursive: true, force: true });
  });

  it('when started with no Partner Center credentials, then it announces local mode and becomes ready within seconds', async () => {
    assert.match(bot.output(), /LOCAL MODE/);
    assert.match(bot.output(), /npm run playground/);
    await waitForReady(bot.url, 5000); // throws when /readyz is not 200 within 5 s of the banner
  });

  it('when Teams sends help over real HTTP, then the card reaches the connector', async () => {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(buildPersonalMessage({ serviceUrl: connector.url, text: 'help' })),
    });
    assert.equal(response.status, 200);
    const [activity] = await connector.waitForActivities(1, 5000);
    assert.equal((activity?.attachments?.[0] as { contentType?: string }).contentType, 'application/vnd.microsoft.card.adaptive');
  });

  it('when Slack sends a signed /partner help, then blocks reach the Slack API', async () => {
    const request = buildSlashCommandRequest({ signingSecret: SIGNING_SECRET, text: 'help' });
    const response = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: request.headers, body: request.body });
    assert.equal(response.status, 200);
    const [call] = await slack.waitForCalls('chat.postEphemeral', 1, 5000);
    assert.ok(Array.isArray(call?.args.blocks));
  });

  it('when sent SIGTERM, then it finishes in-flight work, closes the store and says so', async () => {
    const output = await bot.stop('SIGTERM');
    assert.match(output, /"msg":"stopped cleanly"/);
    assert.doesNotMatch(output, /shutdown failed/);
  });
});

describe('e2e: npm start refuses bad configuration', function () {
  this.timeout(30_000);

  it('when values are malformed, then it prints one line per problem and exits 1', async () => {
    const { code, output } = await runNpmStartToExit({ PORT: 'eighty', DEFAULT_LOCALE: 'fr' });
    assert.equal(code, 1);
    assert.match(output, /^\s+- PORT: /m);
    assert.match(output, /^\s+- DEFAULT_LOCALE: /m);
  });

  it('when NODE_ENV=production has no credentials, then it refuses to start', async () => {
    const { code, output } = await runNpmStartToExit({ NODE_ENV: 'production' });
    assert.equal(code, 1);
    assert.match(output, /MicrosoftAppId: required when NODE_ENV=production/);
  });
});
