/**
 * The live Partner Center client (also used against the local simulator). Every call sends the
 * documented headers, runs under the retry policy and the circuit breaker, and fails with one AppError
 * that names the correlation id; each failure is logged once, without tokens, links or bodies.
 */
import { randomUUID } from 'node:crypto';
import type { Locale } from '../../core/chat.ts';
import { AppError } from '../../core/errors.ts';
import type { Clock, Logger } from '../../core/ports.ts';
import type { CallContext, Customer, IndirectProvider, PartnerCenter } from '../../core/relationships/partner-center.port.ts';
import { HttpStatusError } from './call-errors.ts';
import { toNextPageRequest, type PageRequest } from './next-page.ts';
import type { RefreshTokenStore } from './refresh-token.store.ts';
import { createResilience, type CircuitOptions, type RetryOptions } from './resilience.ts';
import { createHttp, parseJson, sendRequest } from './send-request.ts';
import { toAppError } from './to-app-error.ts';
import { createTokenProvider, type AuthMode, type TokenKind } from './token-provider.ts';
import { customerPageSchema, readCustomer, type CustomerPage, type NextLink, readRelationshipRequestUrl, readWire, toCustomer, toIndirectProviders } from './wire.ts';

export interface PartnerCenterClientOptions {
  apiUrl: string;
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  refreshTokens: RefreshTokenStore;
  log: Logger;
  clock?: Clock;
  /** Per HTTP attempt (default 15 s); never more than what is left of the call's budget. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  circuit?: Partial<CircuitOptions>;
}

const X_LOCALE: Record<Locale, string> = { de: 'de-DE', en: 'en-US' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE_SIZE = 500;

interface Call<T> {
  request: PageRequest;
  auth: AuthMode;
  read: (body: unknown, path: string) => T;
}

export function createPartnerCenterClient(options: PartnerCenterClientOptions): PartnerCenter {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const clock = options.clock ?? { now: Date.now };
  const timeoutMs = options.timeoutMs ?? 15_000;
  const log = options.log.child({ integration: 'partner-center' });
  const http = createHttp();
  const tokens = createTokenProvider({ ...options, authorityUrl: options.authorityUrl.replace(/\/+$/, ''), http, clock, log });
  const resilience = createResilience(options.retry, options.circuit, clock);

  // Each step gets what is left of the budget, so a slow token request shortens the Partner Center wait.
  const attemptTimeout = (remainingMs: () => number) => Math.max(1, Math.min(timeoutMs, remainingMs()));

  async function attempt(call: Call<unknown>, context: CallContext, requestId: string, remainingMs: () => number, used: { token?: string; kind?: TokenKind }): Promise<string> {
    const { token, kind } = await tokens.getAccessToken(call.auth, attemptTimeout(remainingMs));
    Object.assign(used, { token, kind });
    return sendRequest(http, {
      service: 'partner-center',
      method: 'GET',
      url: `${apiUrl}${call.request.pathAndQuery}`,
      path: call.request.path,
      // Continuation headers first: a response must not be able to replace our own headers.
      headers: {
        ...call.request.headers,
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        'MS-RequestId': requestId,
        'MS-CorrelationId': context.correlationId,
        'MS-Contract-Version': 'v1',
        'X-Locale': X_LOCALE[context.locale] ?? X_LOCALE.en,
      },
      timeoutMs: attemptTimeout(remainingMs),
    });
  }

  /** One logical call: one MS-RequestId for all its retries (Partner Center's idempotency key). */
  async function perform<T>(call: Call<T>, context: CallContext): Promise<T> {
    const requestId = randomUUID();
    const used: { token?: string; kind?: TokenKind } = {};
    try {
      const text = await resilience.run((remainingMs) => attempt(call, context, requestId, remainingMs, used), {
        onUnauthorized: () => used.kind && used.token && tokens.invalidate(used.kind, used.token),
        onRetry: (error, delayMs) => log.debug({ correlationId: context.correlationId, requestId, path: call.request.path, status: statusOf(error), delayMs }, 'retrying Partner Center call'),
      });
      return call.read(parseJson(text, 'partner-center', call.request.path), call.request.path);
    } catch (error) {
      throw logFailure(toAppError(error, context), requestId, call.request.path);
    }
  }

  function logFailure(error: AppError, requestId: string, path: string): AppError {
    const cause = error.cause instanceof Error ? error.cause : undefined;
    log.warn({ correlationId: error.params.correlationId, requestId, status: statusOf(cause), path, code: error.code, err: cause }, 'Partner Center call failed');
    return error;
  }

  return {
    // App+User only: Partner Center refuses this call with App-only tokens.
    getRelationshipRequestUrl(context) {
      return perform({ request: fixedRequest('/v1/customers/relationshiprequests'), auth: 'app-user', read: readRelationshipRequestUrl }, context);
    },
    // Both token kinds work here; App+User is preferred (it is the consented identity), App-only keeps it working without consent.
    listIndirectProviders(context): Promise<IndirectProvider[]> {
      return perform({ request: fixedRequest('/v1/relationships', 'relationship_type=IsIndirectResellerOf'), auth: 'app-user-or-app-only', read: toIndirectProviders }, context);
    },
    // Both token kinds work; App-only lets the bot check customers before anyone consented.
    async getCustomer(customerId, context): Promise<Customer> {
      if (!GUID.test(customerId)) {
        const error = new AppError('PARTNER_CENTER.BAD_REQUEST', { message: 'The customer id is not a GUID', params: { correlationId: context.correlationId } });
        throw logFailure(error, '-', '/v1/customers/{id}');
      }
      const path = `/v1/customers/${customerId.toLowerCase()}`;
      return perform({ request: fixedRequest(path), auth: 'app-user-or-app-only', read: readCustomer }, context);
    },
    // Both token kinds work; App-only keeps reconciliation polling alive when the App+User consent lapses.
    async *listCustomers(context) {
      let request: PageRequest | undefined = fixedRequest('/v1/customers', `size=${PAGE_SIZE}`);
      const seenTokens = new Set<string>();
      while (request) {
        const page: CustomerPage = await perform({ request, auth: 'app-user-or-app-only', read: (body, path) => readWire(customerPageSchema, body, 'partner-center', path) }, context);
        yield page.items.map(toCustomer);
        request = page.links?.next ? followNext(page.links.next, seenTokens, context) : undefined;
      }
    },
  };

  function followNext(next: NextLink, seen: Set<string>, context: CallContext): PageRequest {
    try {
      return toNextPageRequest(next, seen);
    } catch (error) {
      throw logFailure(toAppError(error, context), '-', '/v1/customers');
    }
  }
}

function fixedRequest(path: string, query?: string): PageRequest {
  return { path, pathAndQuery: query ? `${path}?${query}` : path, headers: {} };
}

function statusOf(error: unknown): number | undefined {
  return error instanceof HttpStatusError ? error.status : undefined;
}
