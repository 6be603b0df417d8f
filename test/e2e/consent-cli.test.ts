import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMicrosoftClients } from '../../src/integrations/microsoft-clients.ts';
import { createRefreshTokenStore, REFRESH_TOKEN_KEY, REFRESH_TOKEN_NAMESPACE } from '../../src/integrations/partner-center/refresh-token.store.ts';
import { createLogger } from '../../src/logger.ts';
import { simulatorClientTarget } from '../../src/partner-center-setup.ts';
import { createRelationshipRequestUrl } from '../../src/simulator/customers.routes.ts';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID } from '../../src/simulator/defaults.ts';
import { startSimulator, type PartnerCenterSimulator } from '../../src/simulator/simulator.ts';
import { createStore } from '../../src/store/create-store.ts';
import { startBotUnderTest, type BotUnderTest } from '../component/support/bot-under-test.ts';
import { buildPersonalMessage } from '../fakes/teams-activity.ts';
import { childEnv } from './support/child-env.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LINK = createRelationshipRequestUrl(SIMULATOR_PARTNER_TENANT_ID);
const SECRETS_KEY = 'e2e-secrets-key-7d1f0c';

function runConsent(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', 'consent', '--silent'], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** The live-mode settings `npm run simulator` prints, without its refresh token: the consent provides one. */
function liveEnv(simulator: PartnerCenterSimulator, storeUrl: string): Record<string, string> {
  return {
    PARTNER_TENANT_ID: SIMULATOR_PARTNER_TENANT_ID,
    PARTNER_CENTER_CLIENT_ID: SIMULATOR_CLIENT_ID,
    PARTNER_CENTER_CLIENT_SECRET: SIMULATOR_CLIENT_SECRET,
    PARTNER_CENTER_API_URL: simulator.url,
    GRAPH_API_URL: simulator.url,
    ENTRA_AUTHORITY_URL: simulator.url,
    PARTNER_CENTER_WEBHOOK_TOKEN: 'e2e-webhook-token',
    PARTNER_DISPLAY_NAME: 'Test Partner',
    STORE_URL: storeUrl,
  };
}

describe('e2e: npm run consent', function () {
  this.timeout(60_000);
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'consent-e2e-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  describe('live mode against a standalone simulator', () => {
    let simulator: PartnerCenterSimulator;
    before(async () => {
      simulator = await startSimulator();
    });
    after(() => simulator.stop());

    it('when the admin agent signs in, then the token is stored encrypted, never printed, and alone gets the relationship request link', async () => {
      // Every earlier consent stops working: only the one this run stores can fetch the link.
      simulator.controls.expireRefreshTokens();
      const storeUrl = `sqlite://${path.join(folder, 'bot.sqlite')}`;
      const { code, output } = await runConsent({ ...liveEnv(simulator, storeUrl), SECRETS_KEY });
      assert.equal(code, 0, output);
      assert.match(output, new RegExp(`open +${simulator.url}/devicelogin`));
      assert.match(output, /enter code {2}[A-Z2-9]{9}\n/);
      assert.match(output, /Signed in\. The Partner Center refresh token is stored encrypted with SECRETS_KEY/);

      const store = await createStore(storeUrl);
      try {
        const stored = await createRefreshTokenStore({ store, secretsKey: SECRETS_KEY }).get();
        assert.equal(stored, simulator.controls.currentRefreshToken(), 'the newest consent the simulator issued');
        assert.ok(stored && !output.includes(stored), 'the refresh token is not in the output');
        const raw = JSON.stringify(await store.namespace(REFRESH_TOKEN_NAMESPACE).get(REFRESH_TOKEN_KEY));
        assert.match(raw, /"v":1/);
        assert.ok(!raw.includes(stored), 'the stored value is ciphertext');
        const clients = createMicrosoftClients({ ...simulatorClientTarget(simulator.url), refreshTokens: createRefreshTokenStore({ store, secretsKey: SECRETS_KEY }), log: createLogger('silent') });
        assert.equal(await clients.partnerCenter.getRelationshipRequestUrl({ locale: 'en', correlationId: randomUUID() }), LINK);
      } finally {
        await store.close();
      }
    });

    it('when SECRETS_KEY is missing, then it refuses before anyone signs in', async () => {
      const before = simulator.controls.requestCount();
      const { code, output } = await runConsent(liveEnv(simulator, `sqlite://${path.join(folder, 'bot.sqlite')}`));
      assert.equal(code, 1, output);
      assert.match(output, /SECRETS_KEY is not set/);
      assert.equal(simulator.controls.requestCount(), before, 'no device code was asked for');
    });
  });

  describe('local mode, with the bot running', () => {
    let harness: BotUnderTest;
    let env: Record<string, string>;
    beforeEach(async () => {
      env = { STORE_URL: `sqlite://${path.join(folder, 'bot.sqlite')}`, LOCAL_MODE_FILE: path.join(folder, 'local-mode.json') };
      harness = await startBotUnderTest({ ...env, POLL_INTERVAL_MINUTES: '0', INVITATION_LINK_CACHE_MINUTES: '0' });
    });
    afterEach(() => harness.stop());

    const askForInvitation = async (index: number): Promise<string> => {
      await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'request relationship' }));
      return JSON.stringify((await harness.connector.waitForActivities(index + 1, 10_000))[index]);
    };

    it('when the consent has expired and an admin agent signs in again, then the running bot posts the link again without a restart', async () => {
      // reset() also forgets the access tokens the bot holds from start-up; then no consent works any more.
      harness.bot.simulator?.controls.reset();
      harness.bot.simulator?.controls.expireRefreshTokens();
      const refused = await askForInvitation(0);
      assert.ok(!refused.includes(LINK), 'with an expired consent there is no link');
      assert.match(refused, /run \*\*npm run consent\*\* again/, 'the bot says how to fix it');

      const { code, output } = await runConsent(env);
      assert.equal(code, 0, output);
      assert.match(output, /Signing in with the Partner Center simulator of the local-mode bot/);
      assert.match(output, /stored unencrypted \(local mode without SECRETS_KEY\)/);
      assert.ok((await askForInvitation(1)).includes(LINK), 'the bot uses the new consent');
    });
  });

  it('when local mode has no running bot, then it says how to start one and exits 1', async () => {
    const { code, output } = await runConsent({ STORE_URL: `sqlite://${path.join(folder, 'bot.sqlite')}`, LOCAL_MODE_FILE: path.join(folder, 'missing.json') });
    assert.equal(code, 1, output);
    assert.match(output, /no bot is running .*Start the bot with npm start/);
  });
});
