/**
 * What a single HTTP exchange can fail with, before it becomes an AppError. These carry only what
 * explains the failure (status, service, path without query, error codes): never headers, tokens or
 * bodies, so they are safe as an AppError's `cause` wherever that ends up.
 */

export type Service = 'partner-center' | 'graph' | 'entra';

const SERVICE_NAMES: Record<Service, string> = { 'partner-center': 'Partner Center', graph: 'Microsoft Graph', entra: 'Entra ID' };

export class HttpStatusError extends Error {
  readonly service: Service;
  readonly status: number;
  readonly path: string;
  /** Seconds from Retry-After, when the answer had one. */
  readonly retryAfterSeconds: number | undefined;
  /** Partner Center's `code`, Graph's `error.code` or Entra's `error` (`invalid_grant`, …). */
  readonly errorCode: string | undefined;
  /** Entra's AADSTS numbers (`error_codes`). */
  readonly entraErrorCodes: readonly number[];

  constructor(service: Service, status: number, path: string, details: { retryAfterSeconds?: number; errorCode?: string; entraErrorCodes?: number[] } = {}) {
    const code = details.errorCode ? ` ${details.errorCode}` : '';
    const aadsts = details.entraErrorCodes?.length ? ` (AADSTS${details.entraErrorCodes.join(', AADSTS')})` : '';
    super(`${SERVICE_NAMES[service]} answered ${status}${code}${aadsts} for ${path}`);
    this.name = 'HttpStatusError';
    this.service = service;
    this.status = status;
    this.path = path;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.errorCode = details.errorCode;
    this.entraErrorCodes = details.entraErrorCodes ?? [];
  }
}

/** No HTTP answer at all: timeout, reset, refused. `code` is Node's (`ECONNRESET`) or `ETIMEDOUT` for our own deadline. */
export class TransportError extends Error {
  readonly service: Service;
  readonly code: string;
  readonly path: string;

  constructor(service: Service, code: string, path: string, detail: string) {
    super(`${SERVICE_NAMES[service]} request to ${path} failed: ${detail}`);
    this.name = 'TransportError';
    this.service = service;
    this.code = code;
    this.path = path;
  }

  get isTimeout(): boolean {
    return this.code === 'ETIMEDOUT';
  }
}

/** A 2xx answer the client cannot trust: not JSON, wrong shape, an insecure or foreign link. */
export class MalformedResponseError extends Error {
  readonly service: Service;
  readonly path: string;

  constructor(service: Service, path: string, reason: string) {
    super(`${SERVICE_NAMES[service]} answered ${path} with an unusable response: ${reason}`);
    this.name = 'MalformedResponseError';
    this.service = service;
    this.path = path;
  }
}
