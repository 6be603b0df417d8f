import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { readZip } from '../unit/manifests/read-zip.ts';
import { registeredCommands } from '../unit/manifests/registry-commands.ts';
import { childEnv } from './support/child-env.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APP_ID = '6c1d3e2f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const BOT_SETTINGS = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-used-by-packaging', PUBLIC_URL: 'https://partner-bot.contoso.com', PARTNER_DISPLAY_NAME: 'Contoso Cloud Partner' };
/** Teams' documented limits for the command menu (the JSON schema allows more than Teams shows). */
const COMMAND_TITLE_MAX = 32;
const COMMAND_DESCRIPTION_MAX = 128;

function runPackage(env: Record<string, string>, out: string): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', 'package:teams', '--silent', '--', '--out', out], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

interface CommandList {
  scopes: string[];
  commands: { title: string; description: string }[];
}

describe('e2e: npm run package:teams', function () {
  this.timeout(60_000);
  let folder: string;
  let files: Map<string, Buffer>;
  let manifest: AppManifest & { bots: { botId: string; scopes: string[]; commandLists: CommandList[] }[]; validDomains: string[] };

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'teams-package-'));
    const out = path.join(folder, 'nested', 'teams-app.zip');
    const { code, output } = await runPackage(BOT_SETTINGS, out);
    assert.equal(code, 0, output);
    assert.match(output, new RegExp(`written to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    files = new Map(readZip(readFileSync(out)).map((file) => [file.name, file.data]));
    manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}') as typeof manifest;
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('when the zip is opened, then it holds exactly manifest.json and the two committed icons at its root', () => {
    assert.deepEqual([...files.keys()].sort(), ['color.png', 'manifest.json', 'outline.png']);
    for (const icon of ['color.png', 'outline.png']) assert.ok(files.get(icon)?.equals(readFileSync(path.join(ROOT, 'manifests', 'teams', icon))), icon);
  });

  it('when the manifest is validated offline against its own $schema, then it has no errors', async () => {
    assert.match(String(manifest.$schema), /teams\/v1\.(19|[2-9]\d)\/MicrosoftTeams\.schema\.json$/);
    assert.deepEqual(await AppManifestUtils.validateAgainstSchema(manifest), []);
  });

  it('when the same validator sees a broken manifest, then it reports it (the check can fail)', async () => {
    const broken = { ...manifest, id: 'not-a-guid', bots: [{ ...manifest.bots[0], scopes: ['everywhere'] }] } as unknown as AppManifest;
    const errors = await AppManifestUtils.validateAgainstSchema(broken);
    assert.ok(errors.some((error) => /\/id/.test(error)) && errors.some((error) => /scopes/.test(error)), errors.join('\n'));
  });

  it('when the placeholders are filled, then the app and the bot are the Azure Bot registration and PUBLIC_URL is the one valid domain', () => {
    const text = files.get('manifest.json')?.toString('utf8') ?? '';
    assert.doesNotMatch(text, /\{\{/);
    assert.equal(manifest.id, APP_ID);
    assert.equal(manifest.bots[0]?.botId, APP_ID);
    assert.deepEqual(manifest.validDomains, ['partner-bot.contoso.com']);
    assert.equal(manifest.developer.websiteUrl, 'https://partner-bot.contoso.com');
    assert.equal(manifest.developer.name, 'Contoso Cloud Partner');
    assert.equal(manifest.version, JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('when the command lists are read, then each scope lists exactly the registered commands, in help order, within Teams\' limits', () => {
    const bot = manifest.bots[0];
    assert.deepEqual(bot?.scopes, ['personal', 'team', 'groupChat']);
    const expected = registeredCommands().map((command) => command.name);
    assert.deepEqual(bot?.commandLists.map((list) => list.scopes), [['personal'], ['team'], ['groupChat']]);
    for (const list of bot?.commandLists ?? []) {
      assert.deepEqual(list.commands.map((command) => command.title), expected, `scope ${list.scopes.join()}`);
      for (const command of list.commands) {
        assert.ok(command.title.length <= COMMAND_TITLE_MAX, command.title);
        assert.ok(command.description.length > 0 && command.description.length <= COMMAND_DESCRIPTION_MAX, `${command.title}: ${command.description.length} characters`);
      }
    }
  });

  it('when MicrosoftAppId and PUBLIC_URL are missing, then it exits 1 naming both and writes no zip', async () => {
    const out = path.join(folder, 'refused.zip');
    const { code, output } = await runPackage({ PARTNER_DISPLAY_NAME: 'Contoso Cloud Partner' }, out);
    assert.equal(code, 1, output);
    assert.match(output, /MicrosoftAppId: set it/);
    assert.match(output, /PUBLIC_URL: set it/);
    assert.equal(existsSync(out), false);
  });
});
