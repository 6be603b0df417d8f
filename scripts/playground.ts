/**
 * `npm run playground`: the Microsoft 365 Agents Playground (a local Teams-like client) against the bot
 * on this machine, at the PORT the bot uses (.env or environment).
 *
 * Without a desktop browser opener (servers, containers, CI) the playground's attempt to open a browser
 * kills it with exit code 1 and no message, so we only let it try where an opener exists.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadDotEnv, readConfig } from '../src/config.ts';

loadDotEnv();
const config = readConfig();
const botEndpoint = `http://localhost:${config.PORT}/api/messages`;
const playgroundPort = process.env.PLAYGROUND_PORT ?? '56150';
const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');

const hasBrowserOpener = ['xdg-open', 'open', 'wslview'].some((command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0);
mkdirSync('data', { recursive: true });
const env = {
  ...process.env,
  TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER ?? (hasBrowserOpener ? undefined : 'none'),
  M365_AGENTS_PLAYGROUND_LOGFILE: process.env.M365_AGENTS_PLAYGROUND_LOGFILE ?? path.resolve('data', 'playground.log'),
};

process.stdout.write(`Agents Playground → ${botEndpoint} (start the bot with npm start first)\n`);
const child = spawn(process.execPath, [cli, '-e', botEndpoint, '-c', 'msteams', '-p', playgroundPort, '--disable-telemetry'], { env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
