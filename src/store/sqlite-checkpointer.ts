/**
 * WAL checkpoints on a worker thread. SQLite's automatic checkpoint runs inside whichever COMMIT pushes
 * the WAL past 1,000 pages, on the main thread, and includes an fsync: measured under webhook load it
 * made the average commit four times slower (580 µs against 150 µs) and put pauses of 100 ms or more
 * into the tail. A PASSIVE checkpoint from another connection copies the same pages without taking the
 * write lock, so the main thread's commits only append to the WAL.
 *
 * But the WAL only starts over from its beginning when a checkpoint has copied ALL of it, and commits
 * made while the thread copies keep that from happening: under steady load it grew without end (1.2 GB
 * in 12 s of webhooks). So once it passes `restartFrames`, the thread asks the writer (`onLongWal`) to
 * run one PASSIVE checkpoint itself between two commits: the thread has copied nearly everything, so that
 * takes about half a millisecond, and the next commit starts the WAL over.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  /** Runs a last checkpoint and stops the thread. */
  stop(): Promise<void>;
}

/** Runs in the worker (CommonJS, by eval): no import of our own code, so it loads the same under tsx and from dist. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const database = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
const checkpoint = () => {
  try {
    const [{ log }] = database.pragma('wal_checkpoint(PASSIVE)');
    if (log > workerData.restartFrames) parentPort.postMessage({ walFrames: log });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  database.close();
  parentPort.close();
});
`;

export interface CheckpointOptions {
  intervalMs: number;
  busyTimeoutMs: number;
  /** WAL frames (a page each) past which the writer is asked to finish a checkpoint itself. */
  restartFrames: number;
  onLongWal(): void;
  onError(message: string): void;
}

export function startCheckpointer(file: string, options: CheckpointOptions): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs: options.intervalMs, busyTimeoutMs: options.busyTimeoutMs, restartFrames: options.restartFrames } });
  worker.unref(); // never what keeps a process alive
  worker.on('message', (message: { error?: string; walFrames?: number }) => {
    if (message.walFrames !== undefined) options.onLongWal();
    else options.onError(message.error ?? 'unknown checkpoint failure');
  });
  worker.on('error', (error) => options.onError(error.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        worker.postMessage('stop');
        const timeout = setTimeout(() => void worker.terminate(), 2_000);
        await exited;
        clearTimeout(timeout);
      })();
      return stopping;
    },
  };
}
