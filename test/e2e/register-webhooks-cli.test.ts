import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID } from '../../src/simulator/defaults.ts';
import { startSimulator, type PartnerCenterSimulator } from '../../src/simulator/simulator.ts';
import { simulatorCertificateFile, simulatorCertificateUrls } from '../../src/simulator/webhooks/index.ts';
import { startBotUnderTest, type BotUnderTest } from '../component/support/bot-under-test.ts';
import { childEnv } from './support/child-env.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEBHOOK_TOKEN = 'e2e-webhook-token-4f9c1d';

/** Live-mode settings that point at the simulator instead of Microsoft. */
function liveEnv(simulator: PartnerCenterSimulator): Record<string, string> {
  return {
    PARTNER_TENANT_ID: SIMULATOR_PARTNER_TENANT_ID,
    PARTNER_CENTER_CLIENT_ID: SIMULATOR_CLIENT_ID,
    PARTNER_CENTER_CLIENT_SECRET: SIMULATOR_CLIENT_SECRET,
    PARTNER_CENTER_API_URL: simulator.url,
    GRAPH_API_URL: simulator.url,
    ENTRA_AUTHORITY_URL: simulator.url,
    PARTNER_CENTER_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
    PARTNER_DISPLAY_NAME: 'Test Partner',
  };
}

function runRegister(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', 'webhooks:register', '--silent'], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('e2e: npm run webhooks:register against the simulator', function () {
  this.timeout(60_000);
  let simulator: PartnerCenterSimulator;
  let harness: BotUnderTest;

  before(async () => {
    simulator = await startSimulator();
    // A live-mode bot whose "Partner Center" is the simulator, trusting the simulator's signing CA.
    harness = await startBotUnderTest({
      ...liveEnv(simulator),
      PARTNER_CENTER_CERT_URL_PREFIXES: simulatorCertificateUrls(simulator.url).prefix,
      PARTNER_CENTER_TRUSTED_CA_FILE: simulatorCertificateFile('simulator-ca.pem'),
      POLL_INTERVAL_MINUTES: '0',
    });
  });
  after(async () => {
    await harness?.stop();
    await simulator?.stop();
  });

  it('when run the first time, then it registers the handled events, the test event reaches the bot and the token is never printed', async () => {
    const { code, output } = await runRegister({ ...liveEnv(simulator), PUBLIC_URL: harness.url });
    assert.equal(code, 0, output);
    assert.match(output, new RegExp(`Webhook created: ${harness.url}/api/partner-center/webhook\\?token=\\*\\*\\*\\n`));
    assert.match(output, /14 events: .*reseller-relationship-accepted-by-customer.*dap-admin-relationship-terminated/);
    assert.match(output, /Test event delivered: the bot answered OK \(correlation id [0-9a-f-]{36}\)/);
    assert.match(output, /Warning: .* is not https/);
    assert.ok(!output.includes(WEBHOOK_TOKEN));
    assert.equal(simulator.controls.webhookRegistration()?.webhookUrl, `${harness.url}/api/partner-center/webhook?token=${WEBHOOK_TOKEN}`);
    assert.ok(harness.logs.lines.some((line) => line.msg === 'partner center webhook' && line.eventName === 'test-created'));
  });

  it('when run again with a token the bot does not know, then the registration is updated and the refused test event fails the command', async () => {
    const { code, output } = await runRegister({ ...liveEnv(simulator), PUBLIC_URL: harness.url, PARTNER_CENTER_WEBHOOK_TOKEN: 'a-different-token' });
    assert.equal(code, 1, output);
    assert.match(output, /Webhook updated:/);
    assert.match(output, /Test event NOT delivered: the bot answered Unauthorized; check that the running bot has the same PARTNER_CENTER_WEBHOOK_TOKEN/);
    assert.ok(!output.includes('a-different-token'));
  });

  it('when Partner Center\'s two test events a minute are used up, then it says so after saving the registration', async () => {
    const { code, output } = await runRegister({ ...liveEnv(simulator), PUBLIC_URL: harness.url });
    assert.equal(code, 1, output);
    assert.match(output, /Webhook updated:/);
    assert.match(output, /at most two test events a minute/);
  });

  it('when there are no Partner Center credentials or no PUBLIC_URL, then it explains what is missing', async () => {
    const local = await runRegister({});
    assert.equal(local.code, 1);
    assert.match(local.output, /needs live mode: set PARTNER_TENANT_ID/);
    const noUrl = await runRegister(liveEnv(simulator));
    assert.equal(noUrl.code, 1);
    assert.match(noUrl.output, /PUBLIC_URL is not set/);
  });
});
