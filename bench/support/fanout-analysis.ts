/**
 * What the fan-out benchmark concludes from the fakes' call logs: deliveries, losses, duplicates, calls
 * made while a Retry-After was running, and the drain time the platform limits make unavoidable.
 *
 * The bound, per conversation: replay that conversation's calls, in order and with the answers they got,
 * on an ideal sender that sends each call at the earliest instant allowed by
 *   - the platform's per-conversation windows (Slack 1 per 1 s; Teams 7 per 1 s, 60 per 30 s, 1,800 per
 *     hour; the same SlidingWindowLimiter the bot uses, so "allowed" means the same thing),
 *   - the Retry-After of every 429 (nothing before `429's time + Retry-After`),
 *   - the arrival of the event the call carries (its outbox row's createdAt),
 *   - one call at a time per conversation.
 * 500s force no wait (the backoff after one is the bot's choice, not the platform's), and calls take no
 * time. The bound is the latest such ideal finish over all conversations, from the first webhook sent.
 * With Slack's 1 s per channel and Retry-After 1 s this is (calls − 1) × 1 s for a channel whose events
 * all arrived at once: a 429's wait and the pacing interval overlap, so a 429 costs one interval (the
 * call it used up), not two. Each 500 also costs one interval. (The simpler
 * `(deliveries − 1) × interval + Σ Retry-After` comes out the same for Slack minus one second per 500.)
 */
import { SlidingWindowLimiter, type RateWindow } from '../../src/core/delivery/rate-limits.ts';

export interface CardCall {
  /** Fleet conversation id (Slack channel, Teams conversation id). */
  conversation: string;
  timestamp: number;
  status: number;
  /** The events the call carried (indexes): one for a card, several for a digest, none for anything else. */
  events: readonly number[];
}

export interface ConversationBound {
  conversation: string;
  calls: number;
  boundMs: number;
}

export interface FanoutFigures {
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  callsDuringRetryAfter: number;
  /** From `startedAt` to the last 2xx card call. */
  drainMs: number;
  bound: ConversationBound;
  totalCalls: number;
  status429: number;
  status500: number;
}

export interface AnalysisInput {
  conversations: readonly { id: string; windows: readonly RateWindow[] }[];
  events: number;
  calls: readonly CardCall[];
  /** When each event's outbox rows were recorded (ms since epoch), by event index. */
  arrivals: readonly number[];
  startedAt: number;
  retryAfterMs: number;
}

export function groupByConversation(calls: readonly CardCall[]): Map<string, CardCall[]> {
  const grouped = new Map<string, CardCall[]>();
  for (const call of calls) {
    const list = grouped.get(call.conversation) ?? [];
    list.push(call);
    grouped.set(call.conversation, list);
  }
  for (const list of grouped.values()) list.sort((a, b) => a.timestamp - b.timestamp);
  return grouped;
}

const ok = (status: number) => status >= 200 && status < 300;

/** A call cannot go out before the (last) event it carries was recorded. */
function arrivalOf(call: CardCall, arrivals: readonly number[], startedAt: number): number {
  return Math.max(startedAt, ...call.events.map((event) => arrivals[event] ?? startedAt));
}

/** Calls to one conversation that arrived after a 429 and before its Retry-After ended. */
export function callsDuringRetryAfter(calls: readonly CardCall[], retryAfterMs: number): number {
  let count = 0;
  let blockedUntil = Number.NEGATIVE_INFINITY;
  for (const call of calls) {
    if (call.timestamp < blockedUntil) count += 1;
    if (call.status === 429) blockedUntil = Math.max(blockedUntil, call.timestamp + retryAfterMs);
  }
  return count;
}

/** The ideal sender's finish time for one conversation's calls (see the file comment). */
export function idealFinish(calls: readonly CardCall[], windows: readonly RateWindow[], arrivals: readonly number[], startedAt: number, retryAfterMs: number): number {
  const limiter = new SlidingWindowLimiter(windows);
  let previous = startedAt;
  let retryAfterUntil = startedAt;
  for (const call of calls) {
    const earliest = Math.max(previous, retryAfterUntil, arrivalOf(call, arrivals, startedAt));
    const at = earliest + limiter.delayFor('c', earliest);
    limiter.record('c', at);
    if (call.status === 429) retryAfterUntil = at + retryAfterMs;
    previous = at;
  }
  return previous;
}

export function analyseFanout(input: AnalysisInput): FanoutFigures {
  const byConversation = groupByConversation(input.calls);
  let delivered = 0;
  let duplicates = 0;
  let duringRetryAfter = 0;
  let lastDelivery = input.startedAt;
  let bound: ConversationBound = { conversation: '', calls: 0, boundMs: 0 };
  for (const conversation of input.conversations) {
    const calls = byConversation.get(conversation.id) ?? [];
    const deliveries = new Map<number, number>();
    for (const call of calls) {
      if (!ok(call.status) || call.events.length === 0) continue;
      for (const event of call.events) deliveries.set(event, (deliveries.get(event) ?? 0) + 1);
      lastDelivery = Math.max(lastDelivery, call.timestamp);
    }
    delivered += deliveries.size;
    for (const count of deliveries.values()) duplicates += count - 1;
    duringRetryAfter += callsDuringRetryAfter(calls, input.retryAfterMs);
    const boundMs = idealFinish(calls, conversation.windows, input.arrivals, input.startedAt, input.retryAfterMs) - input.startedAt;
    if (boundMs > bound.boundMs) bound = { conversation: conversation.id, calls: calls.length, boundMs };
  }
  const expected = input.conversations.length * input.events;
  return {
    expected,
    delivered,
    lost: expected - delivered,
    duplicates,
    callsDuringRetryAfter: duringRetryAfter,
    drainMs: lastDelivery - input.startedAt,
    bound,
    totalCalls: input.calls.length,
    status429: input.calls.filter((call) => call.status === 429).length,
    status500: input.calls.filter((call) => call.status === 500).length,
  };
}

export interface LatenessBreakdown {
  /** Summed over conversations: how much later than allowed each call came, by what the previous call got. */
  after2xxMs: number;
  after429Ms: number;
  after500Ms: number;
  firstCallMs: number;
  calls: { after2xx: number; after429: number; after500: number; first: number };
}

/**
 * Where the drain time goes: for every call, how much later it came than the earliest instant the limits
 * allowed given the ACTUAL earlier calls (not the ideal ones), filed under the previous call's answer:
 * after a 2xx it is the next row's claim and pacing, after a 429 the Retry-After handling, after a 500 the
 * backoff (which the bound does not count).
 */
export function latenessBreakdown(input: AnalysisInput): LatenessBreakdown {
  const result: LatenessBreakdown = { after2xxMs: 0, after429Ms: 0, after500Ms: 0, firstCallMs: 0, calls: { after2xx: 0, after429: 0, after500: 0, first: 0 } };
  const byConversation = groupByConversation(input.calls);
  for (const conversation of input.conversations) {
    const limiter = new SlidingWindowLimiter(conversation.windows);
    let previous: CardCall | undefined;
    for (const call of byConversation.get(conversation.id) ?? []) {
      const afterRetry = previous?.status === 429 ? previous.timestamp + input.retryAfterMs : input.startedAt;
      const earliest = Math.max(previous?.timestamp ?? input.startedAt, afterRetry, arrivalOf(call, input.arrivals, input.startedAt));
      const allowed = earliest + limiter.delayFor('c', earliest);
      const late = Math.max(0, call.timestamp - allowed);
      limiter.record('c', call.timestamp);
      if (!previous) {
        result.firstCallMs += late;
        result.calls.first += 1;
      } else if (previous.status === 429) {
        result.after429Ms += late;
        result.calls.after429 += 1;
      } else if (previous.status >= 500) {
        result.after500Ms += late;
        result.calls.after500 += 1;
      } else {
        result.after2xxMs += late;
        result.calls.after2xx += 1;
      }
      previous = call;
    }
  }
  return result;
}
