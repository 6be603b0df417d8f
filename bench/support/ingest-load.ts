/**
 * The load generator of bench/ingest.ts, in its own process (forked with an IPC channel) so that
 * autocannon's client work never shares an event loop with the servers it measures.
 *
 * On `init` it signs a pool of distinct Partner Center webhooks with the simulator's signing identity
 * (`reseller-relationship-accepted-by-customer` for a fresh customer id each, so every delivery is a new
 * event and never a dedupe hit) and answers `ready`. On `run` it loads one URL with autocannon and
 * answers `result`:
 * - `fresh` runs take the next unused webhook from the pool for every request, never one twice; if the
 *   pool runs dry they sign new ones on the spot (counted in `signedLate`, and slower).
 * - `reuse` runs (the bare baseline) cycle through the first webhooks of the pool: same bytes, same
 *   headers, and nothing there cares about repeats.
 */
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { countOutcome, createSigner, type SignedWebhook } from './webhook-signer.ts';

export interface InitMessage {
  type: 'init';
  certificateUrl: string;
  poolSize: number;
}

export interface RunMessage {
  type: 'run';
  /** Full URL, `?token=…` included. */
  url: string;
  connections: number;
  seconds: number;
  bodies: 'fresh' | 'reuse';
}

export type ParentMessage = InitMessage | RunMessage | { type: 'exit' };

export interface LoadResult {
  type: 'result';
  /** Responses per second (autocannon's mean of the per-second samples). */
  rps: number;
  p50Ms: number;
  /** Of 2xx responses; autocannon's histogram has 1 ms resolution. */
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 200 responses by their `status` field (`recorded`, `duplicate`, `test`, or `other`). */
  outcomes: Record<string, number>;
  /** `fresh` runs: the dedupe key of every webhook the run sent, to find its events in the store. */
  sent: string[];
  /** Of those, the ones whose response never came (in flight when the run stopped). */
  unanswered: string[];
  /** Webhooks used by this run. */
  used: number;
  /** Of those, signed during the run because the pool was exhausted. */
  signedLate: number;
}

export type ChildMessage = { type: 'ready'; signedPerSecond: number } | LoadResult | { type: 'error'; message: string };

/** How many distinct webhooks a `reuse` run cycles through (signed apart from the pool). */
const REUSED = 1024;

let sign: (() => SignedWebhook) | undefined;
/** Each entry is handed out once and then dropped. */
const pool: (SignedWebhook | undefined)[] = [];
let cursor = 0;
const reusable: SignedWebhook[] = [];
const seen = new Set<string>();

function init(message: InitMessage): ChildMessage {
  sign = createSigner(message.certificateUrl);
  for (let i = 0; i < REUSED; i += 1) reusable.push(sign());
  const started = performance.now();
  for (let i = 0; i < message.poolSize; i += 1) pool.push(sign());
  const seconds = (performance.now() - started) / 1000;
  return { type: 'ready', signedPerSecond: message.poolSize / seconds };
}

function run(message: RunMessage): Promise<LoadResult> {
  const signLate = sign;
  if (!signLate) throw new Error('run before init');
  const target = new URL(message.url);
  const path = `${target.pathname}${target.search}`;
  const outcomes: Record<string, number> = {};
  const pending = new Set<string>();
  const sent: string[] = [];
  let used = 0;
  let signedLate = 0;
  let reuse = 0;

  const next = (): SignedWebhook => {
    if (message.bodies === 'reuse') return reusable[reuse++ % reusable.length] as SignedWebhook;
    let webhook = pool[cursor];
    if (webhook) {
      pool[cursor] = undefined;
      cursor += 1;
    } else {
      webhook = signLate();
      signedLate += 1;
    }
    // Never twice in a run (nor across runs of this process): a repeat would be a dedupe hit, not an event.
    if (seen.has(webhook.dedupeKey)) throw new Error('a webhook body repeated');
    seen.add(webhook.dedupeKey);
    used += 1;
    return webhook;
  };

  const request: AutocannonRequest = {
    method: 'POST',
    path,
    setupRequest(built, context) {
      const webhook = next();
      if (message.bodies === 'fresh') {
        context.dedupeKey = webhook.dedupeKey;
        pending.add(webhook.dedupeKey);
        sent.push(webhook.dedupeKey);
      }
      built.method = 'POST';
      built.path = path;
      built.headers = webhook.headers;
      built.body = webhook.body;
      return built;
    },
    onResponse(status, body, context) {
      if (typeof context.dedupeKey === 'string') pending.delete(context.dedupeKey);
      if (status !== 200) return;
      countOutcome(outcomes, body);
    },
  };

  return new Promise((resolve, reject) => {
    autocannon(
      { url: target.origin, connections: message.connections, duration: message.seconds, pipelining: 1, timeout: 10, requests: [request] },
      (error: Error | null, result: AutocannonResult) => {
        if (error) return reject(error);
        resolve({
          type: 'result',
          rps: result.requests.average,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          outcomes,
          sent,
          unanswered: [...pending],
          used,
          signedLate,
        });
      },
    );
  });
}

function reply(message: ChildMessage): void {
  process.send?.(message);
}

process.on('message', (message: ParentMessage) => {
  void (async () => {
    try {
      if (message.type === 'init') reply(init(message));
      else if (message.type === 'run') reply(await run(message));
      else process.disconnect();
    } catch (error) {
      reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  })();
});
