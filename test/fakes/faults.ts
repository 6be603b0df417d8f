import type { ServerResponse } from 'node:http';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { dropConnection, sendJson } from './http.ts';

/**
 * What a fake does instead of (or before) its normal answer. `status` replaces the answer; `delayMs` alone
 * only slows the normal answer down; `drop` resets the socket without any status line.
 */
export interface Fault {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body for `status`; each fake supplies the platform's error body when omitted. */
  body?: unknown;
  delayMs?: number;
  drop?: boolean;
}

export type Responder<C> = (call: C) => Fault | undefined;
export type CallMatcher<C> = (call: C) => boolean;

export interface FaultPlan<C> {
  /** Queue `fault` for the next `count` calls that `match` (all calls when omitted). */
  failNext(fault: Fault, count?: number, match?: CallMatcher<C>): void;
  /** Decide per call; consulted after the queue. `undefined` removes it. */
  setResponder(responder: Responder<C> | undefined): void;
  pickFault(call: C): Fault | undefined;
  /** A delay that `cancelDelays()` cuts short, so stop() never leaves a pending timer behind. */
  sleep(ms: number): Promise<void>;
  cancelDelays(): void;
  clear(): void;
}

interface QueuedFault<C> {
  fault: Fault;
  remaining: number;
  match: CallMatcher<C>;
}

export function createFaultPlan<C>(): FaultPlan<C> {
  let queue: QueuedFault<C>[] = [];
  let responder: Responder<C> | undefined;
  let delays = new AbortController();

  return {
    failNext(fault, count = 1, match = () => true) {
      if (!Number.isInteger(count) || count < 1) throw new RangeError(`failNext count must be >= 1, got ${count}`);
      queue.push({ fault, remaining: count, match });
    },
    setResponder(next) {
      responder = next;
    },
    pickFault(call) {
      const queued = queue.find((entry) => entry.match(call));
      if (queued) {
        queued.remaining -= 1;
        if (queued.remaining === 0) queue = queue.filter((entry) => entry !== queued);
        return queued.fault;
      }
      return responder?.(call);
    },
    async sleep(ms) {
      if (ms <= 0) return;
      try {
        await sleepFor(ms, undefined, { signal: delays.signal });
      } catch {
        // Aborted by stop(): the socket is gone too, so whatever follows writes nowhere.
      }
    },
    cancelDelays() {
      delays.abort();
      delays = new AbortController();
    },
    clear() {
      queue = [];
      responder = undefined;
    },
  };
}

/** True when the fault replaces the normal answer rather than only delaying it. */
export function isReplacingFault(fault: Fault | undefined): fault is Fault {
  return fault !== undefined && (fault.drop === true || fault.status !== undefined);
}

/** The status a call is recorded with: 0 stands for a dropped connection. */
export function toRecordedStatus(fault: Fault | undefined, normalStatus: number): number {
  if (fault?.drop) return 0;
  return fault?.status ?? normalStatus;
}

export interface AnsweredCall {
  status: number;
  response?: unknown;
}

export interface FaultyAnswer<C extends AnsweredCall> {
  faults: FaultPlan<C>;
  record: (call: C) => void;
  /** The fake's normal answer, computed only when no fault replaces it. */
  answer: () => { status: number; body?: unknown };
  /** The platform's error body for a fault that gives a status but no body. */
  errorBody: (status: number) => unknown;
}

/** Answers one recorded call the way every fake does: pick a fault, record the outcome, delay, drop or send. */
export async function answerWithFaults<C extends AnsweredCall>(res: ServerResponse, call: C, options: FaultyAnswer<C>): Promise<void> {
  const fault = options.faults.pickFault(call);
  const answer = isReplacingFault(fault) ? { status: fault.status ?? 0, body: fault.body ?? options.errorBody(fault.status ?? 0) } : options.answer();
  call.status = toRecordedStatus(fault, answer.status);
  call.response = fault?.drop ? undefined : answer.body;
  options.record(call);
  await options.faults.sleep(fault?.delayMs ?? 0);
  if (fault?.drop) dropConnection(res);
  else sendJson(res, answer.status, answer.body, fault?.headers);
}

/** mulberry32: a repeatable coin, so a fault mix (and a failure) can be replayed with the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
