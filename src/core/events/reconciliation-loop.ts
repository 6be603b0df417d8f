import type { Lease, Logger, Store } from '../ports.ts';
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
  /** How long the run lease lasts without renewal: a crashed replica's run is taken over after it. */
  leaseMs?: number;
  now?: () => number;
  onRun?: (summary: ReconcileSummary) => void;
}

const LEASE = 'reconciliation';
/**
 * Renewed every third of it while a run goes on, so a long run keeps it and a crashed one frees it soon
 * (at most 30 s; the poll interval when that is shorter, but at least 5 s).
 */
const LEASE_MS = 30_000;
const LAST_RUN_KEY = 'last-run';

/** When the cluster last reconciled: written by the replica that ran, under the lease. */
interface LastRun {
  startedAt: number;
  finishedAt: number;
  owner: string;
}

/**
 * Every replica looks a few times per interval whether a reconciliation is due (the last run, stored for
 * the whole cluster, started an interval ago or more) and runs it only under the store's lease, so the
 * cluster polls once per interval, not once per replica. The last run is written when a run ends (also a
 * failed one: it is retried at the next interval, not hammered); a replica that dies mid-run writes
 * nothing, and another one runs as soon as the lease runs out. The audit-log lookup after a removal
 * without a customer runs under the same lease. Failures are logged; they never stop the process.
 */
export function createReconciliationLoop(options: ReconciliationLoopOptions) {
  const { reconciler, store, log } = options;
  const now = options.now ?? Date.now;
  const retryMs = options.identifyRetryMs ?? 30_000;
  const attempts = options.identifyAttempts ?? 60;
  // A short poll interval (tests, demos) gets a lease as short, so a crashed runner is replaced within one interval.
  const leaseMs = options.leaseMs ?? Math.min(LEASE_MS, Math.max(options.intervalMs, 5_000));
  const checkMs = Math.min(Math.max(options.intervalMs / 4, 1_000), 60_000);
  const state = store.namespace<LastRun>('reconciliation-schedule');
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

  /** Keeps the lease while `work` runs; a lost lease is logged (the work finishes: it is idempotent). */
  async function holding<T>(lease: Lease, work: () => Promise<T>): Promise<T> {
    let held: Lease | null = lease;
    const renewal = setInterval(() => {
      if (!held) return;
      void store.renewLease(held, leaseMs).then(
        (renewed) => {
          if (!renewed) log.warn({ lease: LEASE }, 'the reconciliation lease was lost mid-run; another replica may run too');
          held = renewed ?? held;
        },
        (error: unknown) => log.warn({ err: error }, 'could not renew the reconciliation lease'),
      );
    }, Math.max(leaseMs / 3, 100));
    renewal.unref();
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await store.releaseLease(held).catch(() => undefined);
    }
  }

  /** One at a time in this process, and only under the lease across processes. `undefined`: skipped. */
  async function exclusive<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    const turn = running.then(async () => {
      if (stopped) return undefined;
      const lease = await store.acquireLease(LEASE, options.owner, leaseMs);
      if (!lease) {
        log.debug({ task: name }, 'another replica holds the reconciliation lease; skipping');
        return undefined;
      }
      return holding(lease, work);
    });
    running = turn.catch(() => undefined);
    try {
      return await turn;
    } catch (error) {
      log.error({ err: error, task: name }, 'reconciliation failed; it runs again at the next turn');
      return undefined;
    }
  }

  /** Runs and records the run; with `onlyIfDue`, first checks (under the lease) that the cluster is due. */
  async function reconcile(onlyIfDue: boolean): Promise<ReconcileSummary | undefined> {
    return exclusive('reconcile', async () => {
      if (onlyIfDue && !(await isDue())) return undefined;
      const startedAt = now();
      try {
        const summary = await reconciler.reconcileAll();
        log.info({ ...summary, ms: now() - startedAt }, 'reconciliation done');
        options.onRun?.(summary);
        return summary;
      } finally {
        await state.set(LAST_RUN_KEY, { startedAt, finishedAt: now(), owner: options.owner }).catch((error: unknown) => log.warn({ err: error }, 'could not record the reconciliation run'));
      }
    });
  }

  async function isDue(): Promise<boolean> {
    const last = await state.get(LAST_RUN_KEY);
    return !last || now() - last.startedAt >= options.intervalMs;
  }

  async function tick(): Promise<void> {
    await reconcile(true);
    later(checkMs, tick);
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
    /** Runs a full reconciliation now, due or not (tests); skipped when another replica is running one. */
    reconcileNow: () => reconcile(false),
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
