import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBot, type BotOptions, type RunningBot } from '../../../src/app.ts';
import { readConfig } from '../../../src/config.ts';
import { createFakeBotConnector, type FakeBotConnector } from '../../fakes/fake-bot-connector.ts';
import { createFakeSlackApi, type FakeSlackApi } from '../../fakes/fake-slack-api.ts';
import { DEFAULT_IDENTITY } from '../../fakes/slack-api-methods.ts';
import { FAKE_TENANT_ID, FAKE_USER_AAD_ID } from '../../fakes/teams-activity.ts';
import { captureLog, type CapturedLog } from '../../support/log-capture.ts';

export const SLACK_SIGNING_SECRET = 'test-signing-secret-0123456789';
export const SLACK_BOT_TOKEN = 'xoxb-test-token';
export const SLACK_ADMIN_USER = 'U0FAKEUSER';

export interface BotUnderTest {
  bot: RunningBot;
  connector: FakeBotConnector;
  slack: FakeSlackApi;
  logs: CapturedLog;
  url: string;
  /** The SQLite file behind the store (security tests read it to prove a request changed nothing). */
  storeFile: string;
  post(route: string, body: string | object, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * The real bot, in-process, on 127.0.0.1 with a fresh SQLite file, talking to the loopback fakes of the
 * Bot Connector and the Slack Web API. `env` overrides any setting.
 */
export async function startBotUnderTest(env: NodeJS.ProcessEnv = {}, options: Pick<BotOptions, 'partnerCenterTuning' | 'deliveryTuning' | 'teamsAuthOverrides'> = {}): Promise<BotUnderTest> {
  const connector = createFakeBotConnector();
  const slack = createFakeSlackApi();
  await Promise.all([connector.start(), slack.start()]);
  const folder = mkdtempSync(path.join(tmpdir(), 'bot-test-'));
  const logs = captureLog();
  const storeFile = path.join(folder, 'bot.sqlite');
  const config = readConfig({
    PORT: '0',
    STORE_URL: `sqlite://${storeFile}`,
    SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SLACK_ALLOWED_TEAMS: DEFAULT_IDENTITY.team_id,
    TEAMS_ALLOWED_TENANTS: FAKE_TENANT_ID,
    BOT_ADMINS: `teams:${FAKE_USER_AAD_ID},slack:${SLACK_ADMIN_USER}`,
    LOG_LEVEL: 'debug',
    LOCAL_MODE_FILE: path.join(folder, 'local-mode.json'),
    ...env,
  });
  const bot = await startBot({ config, log: logs.log, host: '127.0.0.1', ...options });
  const post = (route: string, body: string | object, headers: Record<string, string> = {}) =>
    fetch(`${bot.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    bot,
    connector,
    slack,
    logs,
    url: bot.url,
    storeFile,
    post,
    async stop() {
      await bot.stop();
      await Promise.all([connector.stop(), slack.stop()]);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
