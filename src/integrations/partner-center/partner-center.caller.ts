/**
 * The caller every Partner Center client shares (customers, audit records, webhook registration): the
 * documented headers (partner-center.md §3), one token provider, one retry policy and one circuit breaker.
 */
import type { Locale } from '../../core/chat.ts';
import type { Clock, Logger } from '../../core/ports.ts';
import { createApiCaller, type ApiCaller } from './api-caller.ts';
import type { RefreshTokenStore } from './refresh-token.store.ts';
import { createResilience, type CircuitOptions, type RetryOptions } from './resilience.ts';
import { createHttp } from './send-request.ts';
import { createTokenProvider } from './token-provider.ts';

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
export const DEFAULT_TIMEOUT_MS = 15_000;

export function createPartnerCenterCaller(options: PartnerCenterClientOptions): ApiCaller {
  const clock = options.clock ?? { now: Date.now };
  const log = options.log.child({ integration: 'partner-center' });
  const http = createHttp();
  const tokens = createTokenProvider({ ...options, authorityUrl: options.authorityUrl.replace(/\/+$/, ''), http, clock, log });
  return createApiCaller({
    service: 'partner-center',
    label: 'Partner Center',
    baseUrl: options.apiUrl,
    http,
    tokens,
    resilience: createResilience(options.retry, options.circuit, clock),
    log,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    headers: (context, requestId) => ({
      'MS-RequestId': requestId,
      'MS-CorrelationId': context.correlationId,
      'MS-Contract-Version': 'v1',
      'X-Locale': X_LOCALE[context.locale] ?? X_LOCALE.en,
    }),
  });
}
