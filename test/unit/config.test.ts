import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, PLAYGROUND_TENANT_ID, readConfig } from '../../src/config.ts';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const LIVE = {
  PARTNER_TENANT_ID: '11111111-1111-1111-1111-111111111111',
  PARTNER_CENTER_CLIENT_ID: '22222222-2222-2222-2222-222222222222',
  PARTNER_CENTER_CLIENT_SECRET: 'secret',
  PARTNER_CENTER_WEBHOOK_TOKEN: 'hook-token',
  PARTNER_DISPLAY_NAME: 'Fabrikam Cloud Services GmbH',
};

describe('config', () => {
  it('when nothing is set, then it is local mode with the contract defaults', () => {
    const config = readConfig({});
    assert.equal(config.mode, 'local');
    assert.equal(config.PORT, 3978);
    assert.equal(config.STORE_URL, 'sqlite://./data/bot.sqlite');
    assert.equal(config.DEFAULT_LOCALE, 'en');
    assert.equal(config.POLL_INTERVAL_MINUTES, 15);
    assert.equal(config.PARTNER_CENTER_API_URL, 'https://api.partnercenter.microsoft.com');
    assert.deepEqual(config.GDAP_DEFAULT_ROLES, ['f2ef992c-3afb-46b9-b7cf-a126ee74c451', '729827e3-9c14-49f7-bb1b-9608f156bbb8']);
    assert.deepEqual(config.teamsAllowedTenants, [PLAYGROUND_TENANT_ID]);
    assert.equal(config.slackEnabled, false);
    assert.ok(Object.isFrozen(config));
  });

  it('when .env.sample is copied unchanged, then it is a valid local-mode configuration', () => {
    const env = Object.fromEntries(
      readFileSync(new URL('../../.env.sample', import.meta.url), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Za-z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    assert.ok(Object.keys(env).length >= 30, 'the sample lists every variable');
    assert.equal(readConfig(env).mode, 'local');
  });

  it('when Partner Center credentials are set, then it is live mode and the allow-list defaults to the partner tenant', () => {
    const config = readConfig(LIVE);
    assert.equal(config.mode, 'live');
    assert.deepEqual(config.teamsAllowedTenants, [LIVE.PARTNER_TENANT_ID]);
  });

  it('when values are malformed, then each problem is one readable line', () => {
    const problems = problemsOf({ PORT: 'eighty', STORE_URL: 'mysql://x', DEFAULT_LOCALE: 'fr', BOT_ADMINS: 'alice', GDAP_DEFAULT_DURATION: 'P3Y' });
    assert.equal(problems.length, 5, problems.join('\n'));
    for (const name of ['PORT', 'STORE_URL', 'DEFAULT_LOCALE', 'BOT_ADMINS', 'GDAP_DEFAULT_DURATION']) {
      assert.ok(problems.some((line) => line.startsWith(name)), `${name} missing from ${problems.join(' | ')}`);
    }
  });

  it('when NODE_ENV=production has no Bot Framework credentials, then it refuses', () => {
    const problems = problemsOf({ ...LIVE, NODE_ENV: 'production' });
    assert.ok(problems.some((line) => line.startsWith('MicrosoftAppId')), problems.join('\n'));
  });

  it('when NODE_ENV=production has no Partner Center credentials, then it refuses local mode', () => {
    const problems = problemsOf({ NODE_ENV: 'production', MicrosoftAppId: 'a', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 't' });
    assert.ok(problems.some((line) => line.includes('local mode is for trying the bot')), problems.join('\n'));
  });

  it('when the Slack token comes without a signing secret, then it refuses', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_ALLOWED_TEAMS: 'T1' });
    assert.deepEqual(problems, ['SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (every Slack request must be signed), unless SLACK_APP_TOKEN turns on Socket Mode']);
  });

  it('when Socket Mode is on (an app token), then no signing secret is needed', () => {
    assert.deepEqual(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_ALLOWED_TEAMS: 'T1' }), []);
  });

  it('when Slack is on without an allow-list, then it refuses', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    assert.ok(problems[0]?.startsWith('SLACK_ALLOWED_TEAMS'));
  });

  it('when only part of the Partner Center credentials is set, then it says to set all three', () => {
    const problems = problemsOf({ PARTNER_TENANT_ID: LIVE.PARTNER_TENANT_ID, PARTNER_CENTER_WEBHOOK_TOKEN: 't' });
    assert.ok(problems.some((line) => line.includes('set all three')), problems.join('\n'));
  });

  it('when live mode has no partner name, then it refuses; local mode has a default', () => {
    assert.ok(problemsOf({ ...LIVE, PARTNER_DISPLAY_NAME: '' }).some((line) => line.startsWith('PARTNER_DISPLAY_NAME')));
    assert.equal(readConfig({}).PARTNER_DISPLAY_NAME, 'Contoso Cloud Partner');
    assert.equal(readConfig({}).INVITATION_LINK_CACHE_MINUTES, 360);
  });

  it('when a refresh token comes without SECRETS_KEY, then it refuses', () => {
    assert.ok(problemsOf({ ...LIVE, PARTNER_CENTER_REFRESH_TOKEN: 'rt' }).some((line) => line.startsWith('SECRETS_KEY')));
    assert.deepEqual(problemsOf({ ...LIVE, PARTNER_CENTER_REFRESH_TOKEN: 'rt', SECRETS_KEY: 'k' }), []);
  });

  it('when live mode has no webhook token, then it refuses', () => {
    const problems = problemsOf({ ...LIVE, PARTNER_CENTER_WEBHOOK_TOKEN: '' });
    assert.ok(problems.some((line) => line.startsWith('PARTNER_CENTER_WEBHOOK_TOKEN')));
  });

  it('when an app id is set without a password, then it refuses (unless managed identity)', () => {
    assert.ok(problemsOf({ MicrosoftAppId: 'a', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 't' }).some((l) => l.startsWith('MicrosoftAppPassword')));
    assert.deepEqual(problemsOf({ MicrosoftAppId: 'a', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' }), []);
  });

  it('when lists are given, then they are trimmed and split', () => {
    const config = readConfig({ TEAMS_ALLOWED_TENANTS: ' a , b,,', BOT_ADMINS: 'teams:x, slack:U1', SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 's', SLACK_ALLOWED_TEAMS: 'T1,T2' });
    assert.deepEqual(config.teamsAllowedTenants, ['a', 'b']);
    assert.deepEqual(config.BOT_ADMINS, ['teams:x', 'slack:U1']);
    assert.deepEqual(config.SLACK_ALLOWED_TEAMS, ['T1', 'T2']);
    assert.equal(config.slackEnabled, true);
  });
  it('when replicas share a simulator, then SIMULATOR_URL needs the shared webhook token and local mode', () => {
    assert.equal(readConfig({ SIMULATOR_URL: 'http://127.0.0.1:4010/', PARTNER_CENTER_WEBHOOK_TOKEN: 't' }).SIMULATOR_URL, 'http://127.0.0.1:4010');
    assert.match(problemsOf({ SIMULATOR_URL: 'http://127.0.0.1:4010' }).join('\n'), /PARTNER_CENTER_WEBHOOK_TOKEN: required with SIMULATOR_URL/);
    assert.match(problemsOf({ ...LIVE, SIMULATOR_URL: 'http://127.0.0.1:4010' }).join('\n'), /SIMULATOR_URL: local mode only/);
    assert.match(problemsOf({ SIMULATOR_URL: 'ftp://x', PARTNER_CENTER_WEBHOOK_TOKEN: 't' }).join('\n'), /SIMULATOR_URL/);
  });

  it('when the store prefix or claim period is set, then it is validated; the defaults are prb and 30 s', () => {
    const config = readConfig({});
    assert.equal(config.STORE_PREFIX, 'prb');
    assert.equal(config.OUTBOX_CLAIM_SECONDS, 30);
    assert.equal(readConfig({ STORE_PREFIX: 'contoso_prod', OUTBOX_CLAIM_SECONDS: '3' }).OUTBOX_CLAIM_SECONDS, 3);
    assert.match(problemsOf({ STORE_PREFIX: 'x; DROP TABLE' }).join('\n'), /STORE_PREFIX/);
    assert.match(problemsOf({ OUTBOX_CLAIM_SECONDS: '0' }).join('\n'), /OUTBOX_CLAIM_SECONDS/);
  });
});
