/**
 * Reconciliation against 100,000 customers (200 pages of 500): the first run (no snapshot yet: reads
 * everything and stores the snapshot) and the second (reads everything again and compares; 10 customers
 * were added in between, so it also records 10 `accepted` events).
 *
 * The bot's own pieces, as local mode wires them (src/partner-center-setup.ts, src/events-setup.ts): the
 * store from STORE_URL's backend, the real Partner Center and Graph clients (token refresh, paging with
 * continuation headers, wire validation), the event recorder and the reconciler. The simulator runs in a
 * child process (bench/support/simulator-process.ts) with `seedCustomers: 100_000`, so its memory and CPU
 * are not the bot's: in production Partner Center is somewhere else.
 *
 *   node --import tsx --expose-gc bench/reconcile.ts            # SQLite (temp folder), then Redis if reachable
 *   node --import tsx --expose-gc bench/reconcile.ts --sqlite   # SQLite only
 *   … --detail                                                  # also RSS before the runs and the summaries
 *
 * Peak RSS: process.memoryUsage.rss() every 50 ms from just before the first run to the end of the
 * second, after a full GC (`--expose-gc`); the process holds nothing else. Redis: 127.0.0.1:6379 with a
 * key prefix of its own, deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@redis/client';
import { createFactLedger } from '../src/core/events/facts.ts';
import { createEventRecorder } from '../src/core/events/ingest-event.ts';
import { createReconciler, type ReconcileSummary } from '../src/core/events/reconcile.ts';
import { createUnidentifiedRemovals } from '../src/core/events/unidentified-removals.ts';
import { createSubscriptionDirectory } from '../src/core/notifications/subscriptions.ts';
import { createMicrosoftClients } from '../src/integrations/microsoft-clients.ts';
import { createRefreshTokenStore } from '../src/integrations/partner-center/refresh-token.store.ts';
import { createLogger } from '../src/logger.ts';
import { SAMPLE_CUSTOMERS } from '../src/simulator/seed.ts';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID, SIMULATOR_REFRESH_TOKEN } from '../src/simulator/defaults.ts';
import type { BotStore } from '../src/store/bot-store.ts';
import { createStore } from '../src/store/create-store.ts';
import { startSimulatorProcess } from './support/simulator-process.ts';

const CUSTOMERS = 100_000;
const ADDED_BEFORE_SECOND = 10;
const TARGET_SECONDS = 10;
const TARGET_RSS_MB = 250;
const SAMPLE_MS = 50;
const REDIS_URL = 'redis://127.0.0.1:6379';
/** Each backend gets this long for both runs; past it the bench stops with a message. */
const BACKEND_BUDGET_MS = 120_000;
const detail = process.argv.includes('--detail');

interface Figures {
  firstS: number;
  secondS: number;
  peakRssMb: number;
  /** After the GC, just before the first run: what the process held before reconciling. */
  baselineRssMb: number;
  /** --detail only: the JS heap's peak (heapUsed) over the same samples. */
  peakHeapMb: number;
  first: ReconcileSummary;
  second: ReconcileSummary;
}

function startRssSampler() {
  let peak = process.memoryUsage.rss();
  let peakHeap = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
    // --detail: the JS heap too (process.memoryUsage() costs more than .rss(), so only then).
    if (detail) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop(): { rss: number; heap: number } {
      clearInterval(timer);
      sample();
      return { rss: peak, heap: peakHeap };
    },
  };
}

function withBudget<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`aborted: ${what} took longer than ${BACKEND_BUDGET_MS / 1000} s`)), BACKEND_BUDGET_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function measure(store: BotStore): Promise<Figures> {
  const simulator = await startSimulatorProcess(CUSTOMERS);
  try {
    const log = createLogger('silent');
    const clients = createMicrosoftClients({
      apiUrl: simulator.url,
      graphUrl: simulator.url,
      authorityUrl: simulator.url,
      tenantId: SIMULATOR_PARTNER_TENANT_ID,
      clientId: SIMULATOR_CLIENT_ID,
      clientSecret: SIMULATOR_CLIENT_SECRET,
      refreshTokens: createRefreshTokenStore({ store, initial: SIMULATOR_REFRESH_TOKEN, allowUnencrypted: true }),
      log,
    });
    const unidentified = createUnidentifiedRemovals(store);
    const recorder = createEventRecorder({
      events: store.events,
      subscriptions: createSubscriptionDirectory(store),
      facts: createFactLedger(store),
      unidentified,
      now: Date.now,
    });
    const reconciler = createReconciler({ directory: clients.directory, store, recorder, unidentified, clock: { now: Date.now }, log });

    globalThis.gc?.();
    const baselineRssMb = process.memoryUsage.rss() / (1024 * 1024);
    const sampler = startRssSampler();
    let started = performance.now();
    const first = await reconciler.reconcileAll();
    const firstS = (performance.now() - started) / 1000;
    await simulator.addCustomers(ADDED_BEFORE_SECOND);
    globalThis.gc?.();
    started = performance.now();
    const second = await reconciler.reconcileAll();
    const secondS = (performance.now() - started) / 1000;
    const peaks = sampler.stop();
    const peakRssMb = peaks.rss / (1024 * 1024);
    const peakHeapMb = peaks.heap / (1024 * 1024);

    const total = CUSTOMERS + SAMPLE_CUSTOMERS.length;
    if (!first.baseline || first.customers !== total) throw new Error(`first run: expected a baseline of ${total} customers, got ${JSON.stringify(first)}`);
    if (second.baseline || second.customers !== total + ADDED_BEFORE_SECOND || second.events < ADDED_BEFORE_SECOND) {
      throw new Error(`second run: expected ${total + ADDED_BEFORE_SECOND} customers and at least ${ADDED_BEFORE_SECOND} events, got ${JSON.stringify(second)}`);
    }
    return { firstS, secondS, peakRssMb, peakHeapMb, baselineRssMb, first, second };
  } finally {
    await simulator.stop();
  }
}

function report(label: string, figures: Figures): string[] {
  const met = figures.firstS <= TARGET_SECONDS && figures.secondS <= TARGET_SECONDS && figures.peakRssMb <= TARGET_RSS_MB;
  const suffix = label === 'sqlite' ? '' : `_${label}`;
  return [
    `reconcile_first_s${suffix}: ${figures.firstS.toFixed(2)} s`,
    `reconcile_second_s${suffix}: ${figures.secondS.toFixed(2)} s`,
    `reconcile_peak_rss_mb${suffix}: ${figures.peakRssMb.toFixed(0)} MB`,
    ...(detail ? [`# ${label}: RSS before the first run ${figures.baselineRssMb.toFixed(0)} MB; peak JS heap used ${figures.peakHeapMb.toFixed(0)} MB; process peak (getrusage maxrss) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; first run ${JSON.stringify(figures.first)}; second ${JSON.stringify(figures.second)}`] : []),
    `target${suffix}: each run <= ${TARGET_SECONDS} s and peak RSS <= ${TARGET_RSS_MB} MB: ${met ? 'met' : 'missed'}`,
  ];
}

async function onSqlite(): Promise<Figures> {
  const folder = mkdtempSync(path.join(tmpdir(), 'bench-reconcile-'));
  const store = await createStore(`sqlite://${path.join(folder, 'bench.sqlite')}`);
  try {
    return await withBudget(measure(store), 'reconciliation on SQLite');
  } finally {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Redis, under a prefix of its own (deleted afterwards); undefined when no server answers. */
async function onRedis(): Promise<Figures | undefined> {
  const prefix = `benchrec_${randomBytes(4).toString('hex')}`;
  let store: BotStore;
  try {
    store = await createStore(REDIS_URL, { prefix });
  } catch {
    return undefined;
  }
  try {
    return await withBudget(measure(store), 'reconciliation on Redis');
  } finally {
    await store.close();
    await deleteKeys(prefix);
  }
}

async function deleteKeys(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) if (keys.length > 0) await client.del(keys);
  } finally {
    client.destroy();
  }
}

async function main(): Promise<void> {
  if (!globalThis.gc) process.stderr.write('reconcile: run with --expose-gc for a GC before each run\n');
  const lines = report('sqlite', await onSqlite());
  if (!process.argv.includes('--sqlite')) {
    globalThis.gc?.();
    const redis = await onRedis();
    lines.push(...(redis ? report('redis', redis) : [`redis: not measured (nothing answers at ${REDIS_URL})`]));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`reconcile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
