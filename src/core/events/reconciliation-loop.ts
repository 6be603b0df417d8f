import type { Logger, Store } from '../ports.ts';
import type { Reconciler, ReconcileSummary } from './reconcile.ts';
import type { UnidentifiedRemovals } from './unidentified-removals.ts';

export interface ReconciliationLoopOptions {
  reconciler: Reconciler;
  store: Store;
  unidentified: UnidentifiedRemovals;
  /** POLL_INTERVAL_MINUTES in ms; 0 turns the poll off (identifying removals still runs on demand). */
  intervalMs: number;
  /** Unique per process: the lease owner, so only one replica polls at a time. */
  owner: string;
  log: Logger;
  /** After an unidentified removal: how often to look at the audit log until it is named. */
  identifyRetryMs?: number;
  identifyAttempts?: number;
  onRun?: (summary: ReconcileSummary) => void;
}

const LEASE = 'reconciliation';
/** Longer than a 100,000-customer reconciliation takes; a crashed replica's lease runs out after it. */
const LEASE_MS = 15 * 60_000;

/**
 * Runs the reconciliation on start and every interval, and the audit-log lookup as soon as a removal
 * arrives without a customer (then again until it is named). Only the replica holding the store's lease
 * runs; the others skip. Failures are logged and retried at the next turn; they never stop the process.
 */
export function createReconciliationLoop(options: ReconciliationLoopOptions) {
  const { reconciler, store, log } = options;
  const retryMs = options.identifyRetryMs ?? 30_000;
  const attempts = options.identifyAttempts ?? 60;
  const timers = new Set<NodeJS.Timeout>();
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  function later(ms: number, task: () => Promise<void>): void {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void task();
    }, ms);
    timer.unref();
    timers.add(timer);
  }

  /** One at a time in this process, and only under the lease across processes. */
  async function exclusive<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    const turn = running.then(async () => {
      if (stopped) return undefined;
      const lease = await store.acquireLease(LEASE, options.owner, LEASE_MS);
      if (!lease) {
        log.debug({ task: name }, 'another replica holds the reconciliation lease; skipping');
        return undefined;
      }
      try {
        return await work();
      } finally {
        await store.releaseLease(lease).catch(() => undefined);
      }
    });
    running = turn.catch(() => undefined);
    try {
      return await turn;
    } catch (error) {
      log.error({ err: error, task: name }, 'reconciliation failed; it runs again at the next turn');
      return undefined;
    }
  }

  async function reconcileNow(): Promise<ReconcileSummary | undefined> {
    const started = Date.now();
    const summary = await exclusive('reconcile', () => reconciler.reconcileAll());
    if (summary) {
      log.info({ ...summary, ms: Date.now() - started }, 'reconciliation done');
      options.onRun?.(summary);
    }
    return summary;
  }

  async function tick(): Promise<void> {
    await reconcileNow();
    later(options.intervalMs, tick);
  }

  async function identify(left: number): Promise<void> {
    const result = await exclusive('identify removals', () => reconciler.identifyRemovals());
    if (result?.identified) log.info({ identified: result.identified }, 'removals identified from the audit log');
    const open = await openRemovals();
    if (open > 0 && left > 1) later(retryMs, () => identify(left - 1));
  }

  async function openRemovals(): Promise<number> {
    return (await options.unidentified.list().catch(() => [])).length;
  }

  return {
    start(): void {
      if (options.intervalMs > 0) later(0, tick);
    },
    /** Runs a full reconciliation now (tests, the poll). */
    reconcileNow,
    /** A removal named no customer: look at the audit log shortly, and keep looking until it is named. */
    identifySoon(): void {
      later(1_000, () => identify(attempts));
    },
    async stop(): Promise<void> {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await running;
    },
  };
}

export type ReconciliationLoop = ReturnType<typeof createReconciliationLoop>;
