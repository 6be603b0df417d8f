/**
 * The recorded requests of one fake, with waiting that reacts to each new call instead of polling, so a
 * test waits exactly as long as the system under test needs and not a timer tick more.
 */
export interface CallLog<C> {
  readonly calls: readonly C[];
  record(call: C): void;
  clear(): void;
  /** Resolves with `check`'s first non-undefined result; rejects after `timeoutMs` with `explain()`. */
  waitUntil<T>(check: () => T | undefined, timeoutMs: number, explain: () => string): Promise<T>;
  /** Rejects every pending wait: a stopped fake will never record the call a test is waiting for. */
  abortWaits(reason: string): void;
}

interface Waiter {
  poll(): boolean;
  abort(reason: string): void;
}

export function createCallLog<C>(): CallLog<C> {
  const calls: C[] = [];
  const waiters = new Set<Waiter>();

  const pollWaiters = (): void => {
    for (const waiter of [...waiters]) if (waiter.poll()) waiters.delete(waiter);
  };

  return {
    get calls() {
      return calls;
    },
    record(call) {
      calls.push(call);
      pollWaiters();
    },
    clear() {
      calls.length = 0;
    },
    waitUntil(check, timeoutMs, explain) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out after ${timeoutMs} ms: ${explain()}`));
        }, timeoutMs);
        const waiter: Waiter = {
          poll() {
            const result = check();
            if (result === undefined) return false;
            clearTimeout(timer);
            resolve(result);
            return true;
          },
          abort(reason) {
            clearTimeout(timer);
            reject(new Error(`${reason}: ${explain()}`));
          },
        };
        if (!waiter.poll()) waiters.add(waiter);
      });
    },
    abortWaits(reason) {
      for (const waiter of waiters) waiter.abort(reason);
      waiters.clear();
    },
  };
}
