import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createReconciliationLoop, type ReconciliationLoop } from '../../../../src/core/events/reconciliation-loop.ts';
import type { Reconciler, ReconcileSummary } from '../../../../src/core/events/reconcile.ts';
import type { UnidentifiedRemovals } from '../../../../src/core/events/unidentified-removals.ts';
import type { Logger } from '../../../../src/core/ports.ts';
import type { BotStore } from '../../../../src/store/bot-store.ts';
import { createStore } from '../../../../src/store/create-store.ts';

const SUMMARY: ReconcileSummary = { customers: 0, relationships: 0, events: 0, identified: 0, baseline: false };
const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };
const noRemovals = { list: async () => [] } as unknown as UnidentifiedRemovals;

/** Three "replicas" (loops with their own owner) on one real SQLite store, each recording when it ran. */
describe('reconciliation loop: several replicas on one store', function () {
  this.timeout(15_000);
  let folder: string;
  let store: BotStore;
  let loops: ReconciliationLoop[] = [];

  beforeEach(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'reconcile-loop-'));
    store = await createStore(`sqlite://${path.join(folder, 'bot.sqlite')}`);
  });
  afterEach(async () => {
    await Promise.all(loops.map((loop) => loop.stop()));
    loops = [];
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  function startLoop(owner: string, runs: Array<{ owner: string; at: number }>, reconcileAll: () => Promise<ReconcileSummary> = async () => SUMMARY, intervalMs = 1_000): ReconciliationLoop {
    const reconciler = {
      reconcileAll: async () => {
        runs.push({ owner, at: Date.now() });
        return reconcileAll();
      },
      identifyRemovals: async () => ({ events: 0, identified: 0 }),
    } as unknown as Reconciler;
    const loop = createReconciliationLoop({ reconciler, store, unidentified: noRemovals, intervalMs, owner, log: silent, leaseMs: 500 });
    loops.push(loop);
    loop.start();
    return loop;
  }

  it('when three replicas poll the same store, then the cluster reconciles once per interval, not once per replica', async () => {
    const runs: Array<{ owner: string; at: number }> = [];
    // Replicas start at different moments, so their timers are out of phase.
    for (const owner of ['a', 'b', 'c']) {
      startLoop(owner, runs);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await new Promise((resolve) => setTimeout(resolve, 3_400));
    assert.ok(runs.length >= 3 && runs.length <= 5, `${runs.length} runs in 4.3 s with a 1 s interval`);
    for (let index = 1; index < runs.length; index++) assert.ok(runs[index]!.at - runs[index - 1]!.at >= 990, `runs ${runs.map((run) => run.at - runs[0]!.at).join(', ')}`);
  });

  it('when the replica running a reconciliation dies, then another one runs it once the lease has run out', async () => {
    const runs: Array<{ owner: string; at: number }> = [];
    // "Dies": its run never ends, and it never renews (its lease is taken as a crashed owner would leave it).
    await store.acquireLease('reconciliation', 'crashed-replica', 500);
    const started = Date.now();
    startLoop('survivor', runs, undefined, 4_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal(runs[0]?.owner, 'survivor');
    const after = runs[0]!.at - started;
    assert.ok(after >= 450 && after < 2_000, `ran ${after} ms after start (the dead lease held for 500 ms; the interval is 4 s)`);
  });

  it('when a run fails, then it is not retried before the next interval (the replicas look every second)', async () => {
    const runs: Array<{ owner: string; at: number }> = [];
    const down = async (): Promise<ReconcileSummary> => {
      throw new Error('Partner Center is down');
    };
    startLoop('a', runs, down, 4_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    startLoop('b', runs, down, 4_000);
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    assert.equal(runs.length, 1, `${runs.length} attempts in 2.6 s with a 4 s interval`);
  });
});
