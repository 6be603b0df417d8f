/**
 * Start-up time of the compiled bot: from spawning `node dist/src/main.js` to the first `GET /readyz`
 * that answers 200, five times, median.
 *
 * The build (`npm run build`) runs first unless dist/ is newer than every file in src/ and cards/. Each
 * run gets a fresh temporary folder as its working directory (no `.env` is read from the repository)
 * holding a new SQLite file and the local-mode file, and a free loopback port. The bot runs in local mode
 * (its Partner Center simulator starts with it), Slack off, `LOG_LEVEL=info` with its output discarded,
 * as `npm start` would run with an empty `.env`. `/readyz` is polled every 5 ms; the clock stops at the
 * first 200. The process is then stopped with SIGTERM.
 *
 *   node --import tsx bench/startup.ts
 *   BENCH_STARTUP_RUNS=2 node --import tsx bench/startup.ts
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './support/latency.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ENTRY = path.join(ROOT, 'dist', 'src', 'main.js');
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
const TARGET_MS = 1500;
const POLL_MS = 5;
const GIVE_UP_MS = 30_000;

function newestMtime(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds unless dist/ is fresh; returns what it did. */
function ensureBuild(): string {
  const sources = Math.max(newestMtime(path.join(ROOT, 'src')), newestMtime(path.join(ROOT, 'cards')));
  if (existsSync(ENTRY) && statSync(ENTRY).mtimeMs >= sources && newestMtime(path.join(ROOT, 'dist')) >= sources) return 'dist/ is fresh, reused';
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run build failed (${result.status})`);
  if (!existsSync(ENTRY)) throw new Error(`the build did not produce ${ENTRY}`);
  return 'built with npm run build';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** One start: milliseconds from spawn to the first 200 from /readyz. */
async function measureOnce(): Promise<number> {
  const folder = mkdtempSync(path.join(tmpdir(), 'bench-startup-'));
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? folder,
    PORT: String(port),
    STORE_URL: `sqlite://${path.join(folder, 'bot.sqlite')}`,
    LOCAL_MODE_FILE: path.join(folder, 'local-mode.json'),
    LOG_LEVEL: 'info',
  };
  const started = performance.now();
  const child = spawn(process.execPath, [ENTRY], { cwd: folder, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = `http://127.0.0.1:${port}/readyz`;
    while (performance.now() - started < GIVE_UP_MS) {
      if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}) before it was ready: ${stderr}`);
      if (await isReady(url)) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(`/readyz did not answer 200 within ${GIVE_UP_MS / 1000} s: ${stderr}`);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(kill);
    rmSync(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  process.stdout.write(`# ${ensureBuild()}\n`);
  await measureOnce(); // warm-up, not counted: the first start after a build reads cold files
  const runs: number[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const ms = await measureOnce();
    runs.push(ms);
    process.stdout.write(`# run ${run}: ${ms.toFixed(0)} ms\n`);
  }
  const median = percentile(runs, 50);
  process.stdout.write(`startup_ready_ms: ${median.toFixed(0)} ms\ntarget: startup_ready_ms <= ${TARGET_MS}: ${median <= TARGET_MS ? 'met' : 'missed'}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`startup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
