/**
 * Counts work that must finish before the process may stop: requests being answered and the work that
 * Slack listeners continue after they have acknowledged.
 */
export interface InflightTracker {
  track<T>(work: Promise<T>): Promise<T>;
  readonly size: number;
  /** Resolves when nothing is in flight, or after `timeoutMs` with whatever is left. */
  drain(timeoutMs: number): Promise<number>;
}

export function createInflightTracker(): InflightTracker {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
      return work;
    },
    get size() {
      return pending.size;
    },
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (pending.size > 0 && Date.now() < deadline) {
        const timeout = new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());
        await Promise.race([Promise.all([...pending]), timeout]);
      }
      return pending.size;
    },
  };
}
