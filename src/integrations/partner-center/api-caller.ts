/**
 * One logical call to a Microsoft API (Partner Center or Graph), shared by every client: a token for the
 * call's identity, the service's headers, the retry policy and the circuit breaker, one AppError naming the
 * correlation id, and one warning per failure — without tokens, links or bodies.
 */
import { randomUUID } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { AppError } from '../../core/errors.ts';
import type { Logger } from '../../core/ports.ts';
import type { CallContext } from '../../core/relationships/partner-center.port.ts';
import { HttpStatusError, type Service } from './call-errors.ts';
import type { PageRequest } from './next-page.ts';
import type { Resilience } from './resilience.ts';
import { parseJson, sendRequest } from './send-request.ts';
import { toAppError } from './to-app-error.ts';
import type { AuthMode, TokenKind, TokenProvider } from './token-provider.ts';

export interface ApiCall<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH';
  request: PageRequest;
  auth: AuthMode;
  /** Sent as JSON. */
  body?: unknown;
  /** Validates the parsed answer (`undefined` for an empty body). */
  read: (body: unknown, path: string) => T;
  /** A 404 means "there is none" here: answer this instead of failing (and logging). */
  notFound?: T;
}

export interface ApiCallerOptions {
  service: Exclude<Service, 'entra'>;
  /** What log lines call the service: "Partner Center", "Microsoft Graph". */
  label: string;
  baseUrl: string;
  http: AxiosInstance;
  tokens: TokenProvider;
  resilience: Resilience;
  log: Logger;
  /** Per HTTP attempt; never more than what is left of the call's budget. */
  timeoutMs: number;
  /** The service's own headers for one attempt (ids, locale, contract version). */
  headers(context: CallContext, requestId: string): Record<string, string>;
}

export interface ApiCaller {
  readonly baseUrl: string;
  perform<T>(call: ApiCall<T>, context: CallContext): Promise<T>;
  /** A failure found before any request (bad argument, unusable link), logged the same way. */
  fail(error: unknown, context: CallContext, path: string): AppError;
}

interface UsedToken {
  token?: string;
  kind?: TokenKind;
}

export function createApiCaller(options: ApiCallerOptions): ApiCaller {
  const { http, tokens, resilience, log, label } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  // Each step gets what is left of the budget, so a slow token request shortens the API wait.
  const attemptTimeout = (remainingMs: () => number) => Math.max(1, Math.min(options.timeoutMs, remainingMs()));

  async function attempt(call: ApiCall<unknown>, context: CallContext, requestId: string, remainingMs: () => number, used: UsedToken): Promise<string> {
    const { token, kind } = await tokens.getAccessToken(call.auth, attemptTimeout(remainingMs));
    Object.assign(used, { token, kind });
    const hasBody = call.body !== undefined;
    return sendRequest(http, {
      service: options.service,
      method: call.method ?? 'GET',
      url: `${baseUrl}${call.request.pathAndQuery}`,
      path: call.request.path,
      // Continuation headers first: a response must not be able to replace our own headers.
      headers: {
        ...call.request.headers,
        ...options.headers(context, requestId),
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(hasBody ? { body: JSON.stringify(call.body) } : {}),
      timeoutMs: attemptTimeout(remainingMs),
    });
  }

  function logFailure(error: AppError, requestId: string, path: string): AppError {
    const cause = error.cause instanceof Error ? error.cause : undefined;
    log.warn({ correlationId: error.params.correlationId, requestId, status: statusOf(cause), path, code: error.code, err: cause }, `${label} call failed`);
    return error;
  }

  return {
    baseUrl,
    /** One logical call: one request id for all its retries (Partner Center's idempotency key). */
    async perform<T>(call: ApiCall<T>, context: CallContext): Promise<T> {
      const requestId = randomUUID();
      const used: UsedToken = {};
      try {
        const text = await resilience.run((remainingMs) => attempt(call, context, requestId, remainingMs, used), {
          onUnauthorized: () => used.kind && used.token && tokens.invalidate(used.kind, used.token),
          onRetry: (error, delayMs) => log.debug({ correlationId: context.correlationId, requestId, path: call.request.path, status: statusOf(error), delayMs }, `retrying ${label} call`),
        });
        const body = text.trim() === '' ? undefined : parseJson(text, options.service, call.request.path);
        return call.read(body, call.request.path);
      } catch (error) {
        if ('notFound' in call && error instanceof HttpStatusError && error.status === 404) return call.notFound as T;
        throw logFailure(toAppError(error, context), requestId, call.request.path);
      }
    },
    fail(error, context, path) {
      return logFailure(toAppError(error, context), '-', path);
    },
  };
}

export function fixedRequest(path: string, query?: string): PageRequest {
  return { path, pathAndQuery: query ? `${path}?${query}` : path, headers: {} };
}

function statusOf(error: unknown): number | undefined {
  return error instanceof HttpStatusError ? error.status : undefined;
}
