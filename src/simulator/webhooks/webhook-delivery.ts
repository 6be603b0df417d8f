/**
 * Delivers an event to whatever the registration names, signed with the simulator's key, the way Partner
 * Center does — except that it tries once (Partner Center tries ten times, then parks the event): tests
 * and demos want to see a failure, not wait through retries.
 */
import type { PartnerCenterWebhookEvent } from './webhook-events.ts';
import { createWebhookSender } from './webhook-sender.ts';
import { simulatorCertificateUrls, simulatorWebhookIdentity } from './certificates.ts';
import type { DeliveryAttempt, Registration } from './webhook-registry.ts';

export interface DeliveryResult {
  delivered: boolean;
  /** The bot's HTTP status, when it answered. */
  status?: number;
  /** Why nothing was delivered (no registration, event not registered, no answer). */
  reason?: string;
}

export interface DeliveryOptions {
  registration(): Registration | undefined;
  /** The simulator's own base URL: the certificate URL in `x-ms-certificate-url` points at it. */
  simulatorUrl(): string;
  timeoutMs?: number;
  /** Aborted when the simulator stops, so no delivery outlives it. */
  signal?: () => AbortSignal;
}

export type Deliver = (event: PartnerCenterWebhookEvent) => Promise<DeliveryResult>;

const DEFAULT_TIMEOUT_MS = 10_000;

export function createWebhookDelivery(options: DeliveryOptions): Deliver {
  return async (event) => {
    const registration = options.registration();
    if (!registration) return { delivered: false, reason: 'no webhook is registered' };
    if (!registration.events.some((name) => name.toLowerCase() === event.EventName.toLowerCase())) {
      return { delivered: false, reason: `the registration does not include ${event.EventName}` };
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal()]) : timeout;
    const sender = createWebhookSender({
      targetUrl: registration.webhookUrl,
      signingKeyPem: simulatorWebhookIdentity().signingKeyPem,
      certificateUrl: simulatorCertificateUrls(options.simulatorUrl()).certificateUrl,
      signatureHeader: registration.signatureHeader,
      fetch: (url, init) => fetch(url, { ...init, signal }),
    });
    try {
      const status = await sender.send(event);
      return { delivered: status >= 200 && status < 300, status };
    } catch (error) {
      return { delivered: false, reason: `no answer from the webhook URL (${describeFailure(error)})` };
    }
  };
}

/** What Partner Center's validation result says about one attempt. */
export function toDeliveryAttempt(result: DeliveryResult, now: number): DeliveryAttempt {
  return {
    responseCode: result.status === undefined ? '' : toStatusName(result.status),
    responseMessage: result.reason ?? '',
    systemError: result.status === undefined,
    dateTimeUtc: new Date(now).toISOString().replace('Z', '0000'),
  };
}

const STATUS_NAMES: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'NoContent', 301: 'MovedPermanently', 302: 'Found', 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'NotFound', 405: 'MethodNotAllowed', 413: 'RequestEntityTooLarge', 429: 'TooManyRequests', 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout',
};

/** .NET HttpStatusCode names, as Partner Center reports them. */
export function toStatusName(status: number): string {
  return STATUS_NAMES[status] ?? String(status);
}

function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'unknown error';
}
