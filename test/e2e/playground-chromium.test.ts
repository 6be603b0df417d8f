import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_PARTNER_NAME } from '../../src/config.ts';
import en from '../../src/i18n/en.json' with { type: 'json' };
import { startNpm, type BotProcess } from './support/bot-process.ts';
import { childEnv } from './support/child-env.ts';
import { cardWithHeading, CHROMIUM_PATH, chromiumInstalled, openPlaygroundBrowser, sendMessage, type PlaygroundBrowser } from './support/playground-browser.ts';
import { startPlayground, type PlaygroundProcess } from './support/playground-process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const SCREENSHOT = path.join(ARTIFACTS, 'playground-invitation.png');

/** The local Partner Center simulator's partner tenant gives this link (see src/simulator/defaults.ts). */
const INVITATION_LINK =
  'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=3b33e682-00c3-41ee-9dd2-a548adf56438&msppId=0&DAP=false#/BillingAccounts/partner-invitation';
const fillPartner = (text: string): string => text.replaceAll('{partner}', LOCAL_PARTNER_NAME);
const PARAGRAPH_1 = fillPartner(en.invitationEmail.paragraph1);
const PARAGRAPH_2 = fillPartner(en.invitationEmail.paragraph2);

/** `npm run simulate -- …` against the bot under test, as a person would type it in a second terminal. */
function simulate(args: string[], localModeFile: string): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', 'simulate', '--silent', '--', ...args], { cwd: ROOT, env: childEnv({ LOCAL_MODE_FILE: localModeFile }), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

// Budgets add up to 160 s: before 45 s, the tests 15 s + 20 s + 30 s + 40 s, after 10 s.
describe('e2e: npm start + Agents Playground in headless Chromium', function () {
  let folder: string | undefined;
  let bot: BotProcess | undefined;
  let playground: PlaygroundProcess | undefined;
  let chrome: PlaygroundBrowser | undefined;
  let localModeFile = '';

  before(async function () {
    this.timeout(45_000);
    if (!chromiumInstalled()) {
      const message = `${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium) to run the playground browser test`;
      if (process.env.CI === 'true') throw new Error(message);
      console.warn(`      skipped: ${message}`);
      this.skip();
    }
    folder = mkdtempSync(path.join(tmpdir(), 'bot-playground-e2e-'));
    localModeFile = path.join(folder, 'local-mode.json');
    bot = await startNpm({ PORT: '0', STORE_URL: `sqlite://${path.join(folder, 'bot.sqlite')}`, LOG_LEVEL: 'warn', LOCAL_MODE_FILE: localModeFile });
    const botPort = Number(new URL(bot.url).port);
    // Concurrently; allSettled so that whatever did start is assigned, and stopped in `after`, when the other fails.
    const [started, opened] = await Promise.allSettled([
      startPlayground({ botPort, logFile: path.join(folder, 'playground.log') }),
      openPlaygroundBrowser(),
    ]);
    if (started.status === 'fulfilled') playground = started.value;
    if (opened.status === 'fulfilled') chrome = opened.value;
    if (started.status === 'rejected') throw started.reason;
    if (opened.status === 'rejected') throw opened.reason;
    await chrome!.page.goto(playground!.url);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !chrome) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'playground-failure.png');
    await chrome.page.screenshot({ path: file }).catch(() => undefined);
    console.error(`      failure screenshot: ${file}\n--- npm start ---\n${bot?.output()}\n--- npm run playground ---\n${playground?.output()}`);
  });

  after(async function () {
    this.timeout(10_000);
    await chrome?.close().catch(() => undefined);
    await Promise.all([playground?.stop(), bot?.stop('SIGKILL')]);
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('when the user types help in the compose box and sends it, then the help card renders', async function () {
    this.timeout(15_000);
    const { page } = chrome!;
    await sendMessage(page, 'help');
    const card = cardWithHeading(page, en.help.title);
    await card.waitFor({ state: 'visible' });
    assert.match(await card.innerText(), /request relationship/);
  });

  it('when the user sends request relationship, then the invitation card shows the link and both paragraphs', async function () {
    this.timeout(20_000);
    const { page } = chrome!;
    await sendMessage(page, 'request relationship');
    const card = cardWithHeading(page, en.invitation.title);
    await card.waitFor({ state: 'visible' });

    assert.ok(PARAGRAPH_1.startsWith('Contoso Cloud Partner would like'), PARAGRAPH_1);
    await card.getByText(PARAGRAPH_1, { exact: true }).waitFor({ state: 'visible' });
    await card.getByText(PARAGRAPH_2, { exact: true }).waitFor({ state: 'visible' });
    const link = card.getByRole('link', { name: INVITATION_LINK, exact: true });
    await link.waitFor({ state: 'visible' });
    assert.equal(await link.getAttribute('href'), INVITATION_LINK);
    const text = await card.innerText();
    for (const expected of [PARAGRAPH_1, PARAGRAPH_2, INVITATION_LINK]) assert.ok(text.includes(expected), `card text lacks ${expected}:\n${text}`);

    await card.scrollIntoViewIfNeeded();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    assert.doesNotMatch(bot!.output(), /"level":(50|60)/, 'the bot logged an error');
  });

  it('when the chat subscribes and a customer accepts (npm run simulate -- accept), then the card arrives by itself', async function () {
    this.timeout(30_000);
    const { page } = chrome!;
    await sendMessage(page, 'subscribe');
    await page.getByText(/Saved\. This conversation now gets/).first().waitFor({ state: 'visible' });
    const run = await simulate(['accept', 'Playground Kunde GmbH'], localModeFile);
    assert.equal(run.code, 0, run.output);
    const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'Playground Kunde GmbH accepted your reseller relationship' });
    await card.first().waitFor({ state: 'visible', timeout: 15_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-accepted.png') });
  });

  it('when a customer removes admin rights and the user clicks Start restoration, then the card turns into the playbook in place', async function () {
    this.timeout(40_000);
    const { page } = chrome!;
    const run = await simulate(['remove-admin', 'Contoso Ltd'], localModeFile);
    assert.equal(run.code, 0, run.output);
    // First "identifying which", then the same card names the customer once the audit log does.
    const removal = page.locator('.ac-adaptiveCard').filter({ hasText: 'Contoso Ltd removed your delegated admin rights' });
    await removal.first().waitFor({ state: 'visible', timeout: 20_000 });
    const cardsBefore = await page.locator('.ac-adaptiveCard').count();
    await removal.first().getByRole('button', { name: en.timeline.actions.startRestoration }).click();
    await page.getByText(en.restoration.steps.proposed).first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await page.locator('.ac-adaptiveCard').count(), cardsBefore, 'the playbook replaced the clicked card instead of adding one');
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-restoration.png') });
    assert.doesNotMatch(bot!.output(), /"level":(50|60)/, 'the bot logged an error');
  });
});
