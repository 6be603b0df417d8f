import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import en from '../../../src/i18n/en.json' with { type: 'json' };
import { registeredCommands } from './registry-commands.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SLACK_SOURCES = path.join(ROOT, 'src', 'platforms', 'slack');

/** The bot scope each Web API method the bot calls needs (Slack's method reference); undefined = none. */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'views.open': [],
  'users.info': ['users:read'],
  // Any kind of conversation a command can come from: public, private, DM, group DM.
  'conversations.info': ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
};
/** The bot scopes each event subscription needs (Slack's event reference). */
const EVENT_SCOPES: Record<string, string[]> = {
  app_mention: ['app_mentions:read'],
  'message.im': ['im:history'],
  member_joined_channel: ['channels:read', 'groups:read'],
  member_left_channel: ['channels:read', 'groups:read'],
  channel_left: ['channels:read'],
  group_left: ['groups:read'],
};

interface SlackManifest {
  display_information: { long_description: string };
  features: { slash_commands: { command: string; url: string; usage_hint: string }[]; app_home: { messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
}

const manifestText = readFileSync(path.join(ROOT, 'manifests', 'slack', 'manifest.yaml'), 'utf8');
const manifest = load(manifestText) as SlackManifest;

function slackSource(): string {
  return readdirSync(SLACK_SOURCES)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => readFileSync(path.join(SLACK_SOURCES, name), 'utf8'))
    .join('\n');
}

/** `client.chat.postMessage(` → chat.postMessage, for every Web API call in src/platforms/slack. */
function calledMethods(source: string): string[] {
  return [...new Set([...source.matchAll(/\bclient\.([a-z]+)\.([a-zA-Z]+)\(/g)].map((match) => `${match[1]}.${match[2]}`))].sort();
}

/** The events the Bolt app listens to; `app.message` answers direct messages only (slack-app.ts). */
function handledEvents(source: string): string[] {
  const events = [...source.matchAll(/\bapp\.event\('([a-z_.]+)'/g)].map((match) => match[1] ?? '');
  if (/\bapp\.message\(/.test(source)) events.push('message.im');
  return [...new Set(events)].sort();
}

/** Type-checks each object against @slack/web-api's Manifest with the real compiler; returns its errors per file. */
function typeCheck(objects: Record<string, unknown>): Record<string, string[]> {
  const folder = path.join(ROOT, 'test', 'artifacts', `slack-manifest-${process.pid}`);
  mkdirSync(folder, { recursive: true });
  const files = Object.entries(objects).map(([name, value]) => {
    const file = path.join(folder, `${name}.ts`);
    const source = [
      "import type { AppsManifestCreateArguments } from '@slack/web-api';",
      "type Manifest = AppsManifestCreateArguments['manifest'];",
      `export const manifest = ${JSON.stringify(value, null, 2)} satisfies Manifest;`,
    ].join('\n');
    writeFileSync(file, `${source}\n`);
    return file;
  });
  try {
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = ['--ignoreConfig', '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node'];
    const result = spawnSync(process.execPath, [tsc, ...flags, ...files], { cwd: ROOT, encoding: 'utf8' });
    const lines = `${result.stdout}${result.stderr}`.split('\n').filter((line) => / error TS\d+/.test(line));
    const perFile = Object.fromEntries(Object.keys(objects).map((name) => [name, lines.filter((line) => line.includes(`${name}.ts(`))]));
    // An error that names none of the files (a bad flag, a missing package) must fail the test too.
    return { ...perFile, elsewhere: lines.filter((line) => !Object.keys(objects).some((name) => line.includes(`${name}.ts(`))) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('Slack app manifest', () => {
  it('when type-checked against @slack/web-api\'s Manifest by tsc, then it compiles, and a manifest with a wrong scope and event does not', function () {
    this.timeout(60_000);
    const broken = structuredClone(manifest);
    broken.oauth_config.scopes.bot.push('chat:write.everything');
    broken.settings.event_subscriptions.bot_events.push('message.everywhere');
    const errors = typeCheck({ shipped: manifest, broken });
    assert.deepEqual(errors.elsewhere, []);
    assert.deepEqual(errors.shipped, []);
    assert.equal(errors.broken?.length, 2, 'the wrong scope and the wrong event are both refused');
  });

  it('when the slash command is read, then it is the /partner the app registers and its usage hint lists the registered commands in help order', () => {
    const [command, ...others] = manifest.features.slash_commands;
    assert.equal(others.length, 0);
    assert.match(slackSource(), new RegExp(`app\\.command\\('${command?.command}'`));
    assert.equal(command?.usage_hint, registeredCommands().map((entry) => entry.name).join(' | '));
  });

  it('when the long description is read, then its command list is exactly the usage of every registered command', () => {
    const listed = manifest.display_information.long_description.split('\n').filter((line) => line.startsWith('• ')).map((line) => line.slice(2));
    assert.deepEqual(listed, registeredCommands().map((entry) => entry.usage));
    // Commands the texts describe but the bot does not run must not be offered.
    const described = Object.keys(en.commands).map((key) => key.replace(/-/g, ' '));
    const unregistered = described.filter((name) => !registeredCommands().some((command) => command.name === name));
    assert.ok(unregistered.length < described.length);
    const offered = `${manifest.display_information.long_description}\n${manifest.features.slash_commands[0]?.usage_hint}`;
    for (const name of unregistered) assert.doesNotMatch(offered, new RegExp(`\\b${name}\\b`), `${name} is not implemented`);
  });

  it('when the bot events are compared with the listeners in src/platforms/slack, then each handled event is subscribed and nothing else', () => {
    assert.deepEqual([...manifest.settings.event_subscriptions.bot_events].sort(), handledEvents(slackSource()));
  });

  it('when the scopes are compared with the Web API calls and events, then they are exactly the ones those need (least privilege)', () => {
    const methods = calledMethods(slackSource());
    assert.ok(methods.length >= 5, `found the bot's calls: ${methods.join(', ')}`);
    const unknown = methods.filter((method) => !(method in METHOD_SCOPES));
    assert.deepEqual(unknown, [], 'a new Web API call: add the scope it needs to the manifest and to METHOD_SCOPES');
    const needed = new Set(['commands', ...methods.flatMap((method) => METHOD_SCOPES[method] ?? []), ...manifest.settings.event_subscriptions.bot_events.flatMap((event) => EVENT_SCOPES[event] ?? ['unknown event'])]);
    assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), [...needed].sort());
  });

  it('when Slack sends events, commands and interactivity, then all three go to the one /slack/events route, and direct messages are open', () => {
    const urls = [manifest.features.slash_commands[0]?.url, manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url];
    for (const url of urls) assert.match(String(url), /^https:\/\/[^/]+\/slack\/events$/);
    assert.equal(new Set(urls).size, 1);
    assert.equal(manifest.settings.interactivity.is_enabled, true);
    assert.deepEqual([manifest.features.app_home.messages_tab_enabled, manifest.features.app_home.messages_tab_read_only_enabled], [true, false]);
  });
});
