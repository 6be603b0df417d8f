/**
 * Retries and the circuit breaker (cockatiel). Per logical call: 429 waits Retry-After, 5xx/timeouts/
 * resets back off exponentially with jitter, 401 gets one retry with a fresh token, and nothing waits
 * past the call's time budget. Shared across calls: a breaker that stops hammering a Partner Center
 * that keeps failing, and answers UNAVAILABLE at once while open.
 */
import { ConsecutiveBreaker, DelegateBackoff, circuitBreaker, handleWhen, retry, wrap, type CircuitBreakerPolicy } from 'cockatiel';
import type { Clock } from '../../core/ports.ts';
import { HttpStatusError, TransportError } from './call-errors.ts';

export interface RetryOptions {
  /** Attempts per logical call, the first one included (a 401's single token-refresh retry is extra). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Wall time one logical call may take, waits and retries included. */
  budgetMs: number;
  /** The longest Retry-After honoured; a longer one fails the call (THROTTLED) instead of retrying early. */
  maxRetryAfterMs?: number;
}

export interface CircuitOptions {
  consecutiveFailures: number;
  halfOpenAfterMs: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, budgetMs: 30_000, maxRetryAfterMs: 120_000 };
export const DEFAULT_CIRCUIT: CircuitOptions = { consecutiveFailures: 5, halfOpenAfterMs: 30_000 };
/** An attempt needs at least this much of the budget left, or the retry only produces a TIMEOUT. */
const MIN_ATTEMPT_MS = 100;
const RETRYABLE_TRANSPORT_CODES = new Set(['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ERR_BAD_RESPONSE']);

export interface AttemptHooks {
  /** Partner Center refused the token: drop it so the retry gets a new one. */
  onUnauthorized(): void;
  onRetry(error: Error, delayMs: number): void;
}

export interface Resilience {
  /** Runs `attempt` until it succeeds or must give up; `remainingMs()` tells what is left of the budget. */
  run<T>(attempt: (remainingMs: () => number) => Promise<T>, hooks: AttemptHooks): Promise<T>;
}

/** An outage, as opposed to a refusal: only these count towards opening the circuit. */
export function isOutage(error: unknown): boolean {
  if (error instanceof TransportError) return true;
  return error instanceof HttpStatusError && error.status >= 500;
}

export function createResilience(retryOptions: Partial<RetryOptions> = {}, circuitOptions: Partial<CircuitOptions> = {}, clock: Clock = { now: Date.now }): Resilience {
  const options = { ...DEFAULT_RETRY, ...retryOptions };
  const circuit = { ...DEFAULT_CIRCUIT, ...circuitOptions };
  const breaker: CircuitBreakerPolicy = circuitBreaker(handleWhen(isOutage), {
    halfOpenAfter: circuit.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(circuit.consecutiveFailures),
  });

  return {
    run(attempt, hooks) {
      const deadline = clock.now() + options.budgetMs;
      const remainingMs = () => deadline - clock.now();
      const plan = createRetryPlan(options, remainingMs, hooks);
      const policy = retry(handleWhen((error) => plan.shouldRetry(error)), {
        maxAttempts: options.maxAttempts + 1,
        backoff: new DelegateBackoff(() => plan.nextDelay()),
      });
      return wrap(policy, breaker).execute(() => attempt(remainingMs));
    },
  };
}

/** Per call: which failures are retried, after how long, and how often. */
function createRetryPlan(options: Required<RetryOptions>, remainingMs: () => number, hooks: AttemptHooks) {
  let retries = 0;
  let refreshedToken = false;
  let delay = 0;

  function delayFor(error: Error): number | undefined {
    if (error instanceof HttpStatusError && error.status === 429 && error.retryAfterSeconds !== undefined) {
      const wait = error.retryAfterSeconds * 1000;
      return wait <= options.maxRetryAfterMs ? wait : undefined;
    }
    const transient = (error instanceof HttpStatusError && (error.status === 429 || error.status >= 500)) || (error instanceof TransportError && RETRYABLE_TRANSPORT_CODES.has(error.code));
    if (!transient) return undefined;
    // Half fixed, half random below an exponential ceiling: retries from many callers spread out instead of arriving together.
    const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retries);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  return {
    shouldRetry(error: Error): boolean {
      if (error instanceof HttpStatusError && error.service !== 'entra' && error.status === 401 && !refreshedToken) {
        refreshedToken = true;
        delay = 0;
        hooks.onUnauthorized();
        return true;
      }
      const wait = delayFor(error);
      if (wait === undefined || retries + 1 >= options.maxAttempts || wait + MIN_ATTEMPT_MS > remainingMs()) return false;
      retries += 1;
      delay = wait;
      hooks.onRetry(error, wait);
      return true;
    },
    nextDelay: () => delay,
  };
}
