/**
 * In-process pacing with sliding windows (the platforms publish their limits that way: Teams 7 per second,
 * 60 per 30 s and 1,800 per hour per conversation, 30 per second per tenant; Slack about 1 per second per
 * channel). Each replica paces what it sends. One conversation is served by one replica at a time (one
 * send in flight per conversation), but its next row may go to another replica: delivery-setup.ts pauses
 * the conversation in the store when the next call must wait, so the shortest window holds across replicas.
 */
export interface RateWindow {
  limit: number;
  periodMs: number;
}

export class SlidingWindowLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly longestMs: number;

  constructor(private readonly windows: readonly RateWindow[]) {
    this.longestMs = Math.max(...windows.map((window) => window.periodMs));
  }

  /** How long to wait before the next send for `key` fits every window (0: now). */
  delayFor(key: string, now: number): number {
    const times = this.prune(key, now);
    let delay = 0;
    for (const window of this.windows) {
      const inWindow = countSince(times, now - window.periodMs);
      if (inWindow < window.limit) continue;
      // The oldest send that must leave the window before one more fits.
      const blocking = times[times.length - window.limit];
      if (blocking !== undefined) delay = Math.max(delay, blocking + window.periodMs - now);
    }
    return delay;
  }

  record(key: string, now: number): void {
    const times = this.prune(key, now);
    times.push(now);
    this.sent.set(key, times);
  }

  private prune(key: string, now: number): number[] {
    const times = this.sent.get(key) ?? [];
    const cutoff = now - this.longestMs;
    let drop = 0;
    while (drop < times.length && (times[drop] ?? 0) <= cutoff) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length === 0) this.sent.delete(key);
    return times;
  }
}

/** `times` is sorted ascending: count the entries after `since`. */
function countSince(times: readonly number[], since: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((times[middle] ?? 0) <= since) low = middle + 1;
    else high = middle;
  }
  return times.length - low;
}

export const TEAMS_CONVERSATION_WINDOWS: readonly RateWindow[] = [
  { limit: 7, periodMs: 1_000 },
  { limit: 60, periodMs: 30_000 },
  { limit: 1_800, periodMs: 3_600_000 },
];
export const TEAMS_TENANT_WINDOWS: readonly RateWindow[] = [{ limit: 30, periodMs: 1_000 }];
export const SLACK_CHANNEL_WINDOWS: readonly RateWindow[] = [{ limit: 1, periodMs: 1_000 }];
