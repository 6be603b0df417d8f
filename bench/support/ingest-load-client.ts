/** Parent side of bench/support/ingest-load.ts, shared by bench/ingest.ts and bench/ingest-replicas.ts. */
import type { ChildMessage, LoadResult, ParentMessage, RunMessage } from './ingest-load.ts';
import { startLoadProcess, type LoadProcess } from './load-process.ts';

export type IngestLoad = LoadProcess<ParentMessage, ChildMessage>;

/** The load generator in its own process, one request/answer at a time over IPC. */
export function startLoadGenerator(): IngestLoad {
  return startLoadProcess<ParentMessage, ChildMessage>(new URL('./ingest-load.ts', import.meta.url));
}

/** Signs the pool (`poolSize` distinct webhooks for `certificateUrl`) before any clock starts. */
export async function initLoad(load: IngestLoad, certificateUrl: string, poolSize: number): Promise<void> {
  const ready = await load.ask({ type: 'init', certificateUrl, poolSize });
  if (ready.type !== 'ready') throw new Error(`expected the load generator to be ready, got ${ready.type}`);
}

export async function runLoad(load: IngestLoad, run: Omit<RunMessage, 'type'>): Promise<LoadResult> {
  const answer = await load.ask({ type: 'run', ...run });
  if (answer.type !== 'result') throw new Error(`expected a load result, got ${answer.type}`);
  if (answer.signedLate > 0) process.stderr.write(`ingest: the pool ran dry, ${answer.signedLate} webhooks were signed during the run (raise BENCH_INGEST_POOL)\n`);
  return answer;
}
