import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMicrosoftClients } from '../../src/integrations/microsoft-clients.ts';
import { announceLocalMode, simulatorClientTarget, type LocalModeHandle } from '../../src/partner-center-setup.ts';
import { readLocalModeFile, writeLocalModeFile } from '../../src/simulator/local-mode-file.ts';
import type { PartnerCenterSimulator } from '../../src/simulator/simulator.ts';
import { startBotUnderTest, type BotUnderTest } from '../component/support/bot-under-test.ts';
import { childEnv } from './support/child-env.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runSimulate(args: string[], file: string): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', 'simulate', '--silent', '--', ...args], { cwd: ROOT, env: childEnv({ LOCAL_MODE_FILE: file }), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** The registration client the bot builds in local mode (App-only is enough to register). */
function registrationClientFor(simulator: PartnerCenterSimulator, harness: BotUnderTest) {
  return createMicrosoftClients({
    ...simulatorClientTarget(simulator.url),
    refreshTokens: { get: async () => undefined, set: async () => undefined },
    log: harness.logs.log,
  }).webhookRegistration;
}

describe('e2e: npm run simulate against a local-mode bot', function () {
  this.timeout(60_000);
  let folder: string;
  let file: string;
  let harness: BotUnderTest;
  let simulator: PartnerCenterSimulator;
  let localMode: LocalModeHandle;

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'simulate-cli-'));
    file = path.join(folder, 'data', 'local-mode.json');
    harness = await startBotUnderTest({ LOCAL_MODE_FILE: file });
    simulator = harness.bot.simulator!;
    localMode = await announceLocalMode(
      { simulator, webhookRegistration: registrationClientFor(simulator, harness) },
      { botUrl: harness.url, webhookToken: harness.bot.webhookToken, file, log: harness.logs.log },
    );
  });
  after(async () => {
    await localMode?.close();
    await harness?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('when the bot announced local mode, then the file is owner-only and the bot\'s webhook is registered with the simulator', () => {
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const info = readLocalModeFile(file);
    assert.equal(info?.simulatorUrl, simulator.url);
    assert.equal(info?.controlToken, simulator.controlToken);
    const registration = simulator.controls.webhookRegistration();
    assert.equal(registration?.webhookUrl, `${harness.url}/api/partner-center/webhook?token=${encodeURIComponent(harness.bot.webhookToken)}`);
    assert.ok(registration?.events.includes('dap-admin-relationship-terminated'));
    assert.ok(!harness.logs.text().includes(harness.bot.webhookToken), 'the webhook token stays out of the log');
  });

  it('when a customer accepts, then one line names the customer and the event, and the bot took it (HTTP 200)', async () => {
    const { code, output } = await runSimulate(['accept', 'Testkunde', 'Nord', 'GmbH'], file);
    assert.equal(code, 0, output);
    assert.match(output, /^accept: Testkunde Nord GmbH \(testkundenordgmbh\.onmicrosoft\.com\) — sent reseller-relationship-accepted-by-customer, the bot answered HTTP 200\n$/);
    assert.ok(harness.logs.lines.some((line) => line.msg === 'partner center webhook' && line.eventName === 'reseller-relationship-accepted-by-customer'));
    assert.ok(!output.includes(simulator.controlToken));
  });

  it('when the customer removes DAP, then the event without a customer reaches the bot and the line says whose rights went', async () => {
    const { code, output } = await runSimulate(['remove-admin'], file);
    assert.equal(code, 0, output);
    assert.match(output, /^remove-admin: Contoso Ltd \(contoso\.onmicrosoft\.com\) — sent dap-admin-relationship-terminated, the bot answered HTTP 200/);
  });

  it('when a GDAP relationship expires, then the line names the relationship', async () => {
    const { code, output } = await runSimulate(['gdap-expire', 'Contoso'], file);
    assert.equal(code, 0, output);
    assert.match(output, /gdap-expire: Contoso Ltd .*GDAP relationship [0-9a-f-]{73} — sent granular-admin-relationship-expired, the bot answered HTTP 200/);
  });

  it('when the scenario is unknown or the customer missing, then a clear message and a non-zero exit', async () => {
    const unknown = await runSimulate(['explode'], file);
    assert.equal(unknown.code, 2, unknown.output);
    assert.match(unknown.output, /unknown scenario "explode"/);
    assert.match(unknown.output, /usage: npm run simulate -- <scenario> \[customer\]/);
    const missing = await runSimulate(['remove-admin', 'Nobody GmbH'], file);
    assert.equal(missing.code, 1, missing.output);
    assert.match(missing.output, /no customer "Nobody GmbH"/);
    const none = await runSimulate([], file);
    assert.equal(none.code, 2);
  });

  it('when no bot wrote the file, or the bot that wrote it is gone, then it says the bot is not running in local mode', async () => {
    const absent = await runSimulate(['accept'], path.join(folder, 'nothing-here.json'));
    assert.equal(absent.code, 1);
    assert.match(absent.output, /The bot is not running in local mode \(no readable .*nothing-here\.json\)/);
    const stale = path.join(folder, 'stale.json');
    writeLocalModeFile(stale, { simulatorUrl: 'http://127.0.0.1:9', controlToken: 'old', botUrl: 'http://localhost:9', pid: 1 });
    const gone = await runSimulate(['accept'], stale);
    assert.equal(gone.code, 1);
    assert.match(gone.output, /The bot is not running in local mode \(nothing answers at http:\/\/127\.0\.0\.1:9/);
  });

  it('when the bot stops cleanly, then its file is removed', async () => {
    await localMode.close();
    assert.equal(existsSync(file), false);
  });
});
