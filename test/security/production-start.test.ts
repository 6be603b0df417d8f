import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMainToExit } from '../e2e/support/bot-process.ts';
import { findLeaks, SENTINELS } from './support/sentinels.ts';

const APP_ID = '8c5e3b1a-2f4d-4e6a-9b7c-1d0e2f3a4b5c';
const TENANT = '5f2b6a44-7c1e-4d3b-9a8f-0e1d2c3b4a59';

/** The problem lines of a refused start: `  - <setting>: <why>`, one per problem. */
const problemLines = (output: string) => output.split('\n').filter((line) => /^\s+- \S+/.test(line));

describe('security: NODE_ENV=production without credentials refuses to start', function () {
  this.timeout(60_000);
  const folder = mkdtempSync(path.join(tmpdir(), 'bot-production-'));
  const production = (env: NodeJS.ProcessEnv) => runMainToExit({ NODE_ENV: 'production', STORE_URL: `sqlite://${path.join(folder, 'bot.sqlite')}`, PORT: '0', ...env });
  /** Every child starts at once (each spends seconds compiling TypeScript); the tests read their results. */
  const runs = new Map<string, Promise<{ code: number | null; output: string }>>();
  after(() => rmSync(folder, { recursive: true, force: true }));

  const CASES: Array<{ when: string; env: NodeJS.ProcessEnv; problems: RegExp[] }> = [
    {
      when: 'nothing is configured',
      env: {},
      problems: [/MicrosoftAppId: required when NODE_ENV=production/, /PARTNER_TENANT_ID, PARTNER_CENTER_CLIENT_ID, PARTNER_CENTER_CLIENT_SECRET: required when NODE_ENV=production/],
    },
    {
      when: 'Partner Center credentials are given without the webhook token, the display name, the secrets key or a Teams app id',
      env: {
        PARTNER_TENANT_ID: TENANT,
        PARTNER_CENTER_CLIENT_ID: APP_ID,
        PARTNER_CENTER_CLIENT_SECRET: SENTINELS.PARTNER_CENTER_CLIENT_SECRET,
        PARTNER_CENTER_REFRESH_TOKEN: SENTINELS.PARTNER_CENTER_REFRESH_TOKEN,
      },
      problems: [/MicrosoftAppId: required when NODE_ENV=production/, /PARTNER_CENTER_WEBHOOK_TOKEN: required in live mode/, /SECRETS_KEY: required with PARTNER_CENTER_REFRESH_TOKEN/, /PARTNER_DISPLAY_NAME: required in live mode/],
    },
    {
      when: 'Teams has an app id without its password, and Slack a bot token without signing secret or allowed workspaces',
      env: { MicrosoftAppId: APP_ID, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT, SLACK_BOT_TOKEN: SENTINELS.SLACK_BOT_TOKEN },
      problems: [
        /MicrosoftAppPassword: required when MicrosoftAppId is set/,
        /required when NODE_ENV=production \(local mode/,
        /SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN/,
        /SLACK_ALLOWED_TEAMS: required when Slack is on/,
      ],
    },
  ];

  before(() => {
    for (const { when, env } of CASES) runs.set(when, production(env));
    runs.set('development', runMainToExit({ NODE_ENV: 'development', PORT: 'not-a-port' }));
  });

  for (const { when, problems } of CASES) {
    it(`when ${when}, then it exits 1 with exactly one line per problem, no banner and no secret echoed`, async () => {
      const { code, output } = await runs.get(when)!;
      assert.equal(code, 1, output);
      const lines = problemLines(output);
      assert.equal(lines.length, problems.length, `expected ${problems.length} problem lines:\n${output}`);
      for (const problem of problems) assert.equal(lines.filter((line) => problem.test(line)).length, 1, `one line matching ${problem}:\n${output}`);
      assert.doesNotMatch(output, /is running at|bot started/);
      assert.deepEqual(findLeaks(output), []);
    });
  }

  it('when nothing is configured outside production, then none of those lines appear (so the refusals come from NODE_ENV=production)', async () => {
    const { code, output } = await runs.get('development')!;
    // A malformed port stops it before it listens; it is the only problem once production's rules are off.
    assert.equal(code, 1);
    assert.deepEqual(problemLines(output).map((line) => line.trim().split(':')[0]), ['- PORT']);
  });
});
