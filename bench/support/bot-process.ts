/**
 * The real bot in a process of its own, for benchmarks that sample its heap alone (bench/soak.ts) or run
 * several replicas (bench/ingest-replicas.ts). The child runs `startBot` exactly as `npm start` does, from
 * the environment it is forked with, on 127.0.0.1, and answers over the fork's IPC channel, which exists
 * only here (a bench-only hook; nothing in src/ knows about it):
 * - `{ type: 'heap' }`: two full GCs (the child runs with `--expose-gc`), then `process.memoryUsage()`
 *   (optionally after emptying the in-process simulator's request log, see `simulatorLog`);
 * - `{ type: 'snapshot', file }`: `v8.writeHeapSnapshot(file)` after a GC, to diff two of them;
 * - `{ type: 'outbox' }`: the outbox's row counts by state;
 * - disconnect: `RunningBot.stop()`, then exit.
 *
 *   const bot = await startBotProcess({ STORE_URL: 'sqlite:///tmp/x.sqlite', LOG_LEVEL: 'silent' });
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeHeapSnapshot } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { startBot, type RunningBot } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { simulatorCertificateUrls } from '../../src/simulator/webhooks/index.ts';

type ToChild = { type: 'heap'; forgetSimulatorLog?: boolean } | { type: 'snapshot'; file: string; forgetSimulatorLog?: boolean } | { type: 'outbox' };
export interface Ready {
  type: 'ready';
  url: string;
  webhookToken: string;
  /** The certificate URL of the bot's own simulator, the only one it trusts in local mode. */
  certificateUrl: string;
  /** The child's pid, to sample its CPU or profile it from outside. */
  pid: number;
}
type FromChild =
  | Ready
  | { type: 'heap'; usage: NodeJS.MemoryUsage; simulatorLog: number }
  | { type: 'snapshot'; file: string }
  | { type: 'outbox'; counts: Record<string, number> }
  | { type: 'failed'; message: string };

export interface BotProcess extends Omit<Ready, 'type'> {
  /**
   * `process.memoryUsage()` of the bot after two forced full GCs, and how many requests the local-mode
   * simulator's request log held. With `forgetSimulatorLog` that log is emptied first (see runChild).
   */
  heap(options?: { forgetSimulatorLog?: boolean }): Promise<{ usage: NodeJS.MemoryUsage; simulatorLog: number }>;
  snapshot(file: string, options?: { forgetSimulatorLog?: boolean }): Promise<string>;
  outbox(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

const ANSWER_TIMEOUT_MS = 60_000;

/** Parent side: forks this file with `env` on top of the parent's environment and waits until the bot listens. */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends FromChild['type']>(type: T): Promise<Extract<FromChild, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error(`the bot process sent no "${type}" within ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS);
      const onMessage = (message: FromChild) => {
        if (message.type === 'failed') settle(new Error(`the bot process failed: ${message.message}`));
        else if (message.type === type) settle(undefined, message as Extract<FromChild, { type: T }>);
      };
      const onExit = (code: number | null) => settle(new Error(`the bot process exited (${code}) before "${type}"`));
      function settle(error: Error | undefined, message?: Extract<FromChild, { type: T }>): void {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve(message as Extract<FromChild, { type: T }>);
      }
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = <T extends ToChild['type']>(message: Extract<ToChild, { type: T }>) => {
    const answer = next(message.type);
    child.send(message);
    return answer;
  };
  let ready: Ready;
  try {
    ready = await next('ready');
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    url: ready.url,
    webhookToken: ready.webhookToken,
    certificateUrl: ready.certificateUrl,
    pid: ready.pid,
    heap: async (options = {}) => {
      const { usage, simulatorLog } = await ask({ type: 'heap', ...options });
      return { usage, simulatorLog };
    },
    snapshot: async (file, options = {}) => (await ask({ type: 'snapshot', file, ...options })).file,
    outbox: async () => (await ask({ type: 'outbox' })).counts,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      if (child.connected) child.disconnect();
      else child.kill();
      await exited;
      clearTimeout(kill);
    },
  };
}

function fullGc(): void {
  const gc = globalThis.gc;
  if (!gc) throw new Error('the bot process runs without --expose-gc');
  gc();
  gc();
}

/**
 * Local mode runs the Partner Center simulator inside the bot's process, and the simulator keeps the last
 * 5,000 to 10,000 requests it served (headers included, for tests): several MB that grow and are cut in
 * half in a sawtooth. In production Partner Center is not in the bot's heap, so a soak empties that log
 * before it samples. Returns how many entries it held.
 */
function simulatorLog(bot: RunningBot, forget: boolean | undefined): number {
  const log = bot.simulator?.controls.requests as unknown[] | undefined;
  const held = log?.length ?? 0;
  if (forget) log?.splice(0);
  return held;
}

async function answer(bot: RunningBot, message: ToChild): Promise<FromChild> {
  switch (message.type) {
    case 'heap': {
      const held = simulatorLog(bot, message.forgetSimulatorLog);
      fullGc();
      return { type: 'heap', usage: process.memoryUsage(), simulatorLog: held };
    }
    case 'snapshot':
      simulatorLog(bot, message.forgetSimulatorLog);
      fullGc();
      return { type: 'snapshot', file: writeHeapSnapshot(message.file) };
    case 'outbox':
      return { type: 'outbox', counts: await bot.store.outbox.counts() };
  }
}

/** Child side. */
async function runChild(): Promise<void> {
  const config = readConfig(process.env);
  const bot = await startBot({ config, log: createLogger(config.LOG_LEVEL), host: '127.0.0.1' });
  process.on('message', (message: ToChild) => {
    answer(bot, message).then(
      (reply) => process.send?.(reply),
      (error: unknown) => process.send?.({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies FromChild),
    );
  });
  process.once('disconnect', () => void bot.stop().finally(() => process.exit(0)));
  const certificateUrl = bot.simulator ? simulatorCertificateUrls(bot.simulator.url).certificateUrl : '';
  process.send?.({ type: 'ready', url: bot.url, webhookToken: bot.webhookToken, certificateUrl, pid: process.pid } satisfies FromChild);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  await runChild().catch((error: unknown) => {
    process.send?.({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FromChild);
    process.exit(1);
  });
}
