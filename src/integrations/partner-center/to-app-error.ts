/**
 * The one place where Partner Center and Entra failures become the bot's error vocabulary. Every
 * AppError it returns carries `params.correlationId` (what a partner quotes to support) and the
 * original failure as `cause`.
 */
import { isBrokenCircuitError, isIsolatedCircuitError } from 'cockatiel';
import { AppError, isAppError } from '../../core/errors.ts';
import { HttpStatusError, MalformedResponseError, TransportError } from './call-errors.ts';

export interface ErrorContext {
  correlationId: string;
}

/** AADSTS65001: nobody consented yet. Every other invalid_grant means the consent is gone (expired, revoked, password reset). */
const CONSENT_NOT_GRANTED = 65001;

const PARTNER_CENTER_STATUS_CODES: Record<number, { code: string; expected: boolean }> = {
  400: { code: 'PARTNER_CENTER.BAD_REQUEST', expected: true },
  401: { code: 'PARTNER_CENTER.UNAUTHORIZED', expected: false },
  403: { code: 'PARTNER_CENTER.FORBIDDEN', expected: true },
  404: { code: 'PARTNER_CENTER.NOT_FOUND', expected: true },
};

export function toAppError(error: unknown, context: ErrorContext): AppError {
  const correlationId = { correlationId: context.correlationId };
  if (isAppError(error)) {
    if (error.params.correlationId) return error;
    return new AppError(error.code, { message: error.message, cause: error.cause ?? error, expected: error.expected, params: { ...error.params, ...correlationId } });
  }
  const make = (code: string, expected: boolean, params: Record<string, string | number> = {}) =>
    new AppError(code, { cause: error, expected, message: error instanceof Error ? error.message : code, params: { ...params, ...correlationId } });

  if (isBrokenCircuitError(error) || isIsolatedCircuitError(error)) {
    return new AppError('PARTNER_CENTER.UNAVAILABLE', { cause: error, expected: false, message: 'Partner Center failed repeatedly; calls are paused for a while (circuit open)', params: correlationId });
  }
  if (error instanceof TransportError) return make(error.isTimeout ? 'PARTNER_CENTER.TIMEOUT' : 'PARTNER_CENTER.UNAVAILABLE', false);
  if (error instanceof MalformedResponseError) return make('PARTNER_CENTER.MALFORMED_RESPONSE', false);
  if (error instanceof HttpStatusError) return fromHttpStatus(error, make);
  return make('INTERNAL.UNEXPECTED', false);
}

type MakeError = (code: string, expected: boolean, params?: Record<string, string | number>) => AppError;

function fromHttpStatus(error: HttpStatusError, make: MakeError): AppError {
  const status = { status: error.status };
  if (error.status === 429) return make('PARTNER_CENTER.THROTTLED', true, { ...status, seconds: error.retryAfterSeconds ?? 0 });
  if (error.status >= 500) return make('PARTNER_CENTER.UNAVAILABLE', false, status);
  // An API never redirects; following one could hand the bearer token to another host.
  if (error.status < 400) return make('PARTNER_CENTER.MALFORMED_RESPONSE', false, status);
  if (error.service === 'entra') return fromEntraError(error, make);
  const known = PARTNER_CENTER_STATUS_CODES[error.status];
  return known ? make(known.code, known.expected, status) : make('PARTNER_CENTER.BAD_REQUEST', true, status);
}

function fromEntraError(error: HttpStatusError, make: MakeError): AppError {
  const entraError = { entraError: error.errorCode ?? 'unknown' };
  if (error.errorCode === 'invalid_grant') {
    const missing = error.entraErrorCodes.includes(CONSENT_NOT_GRANTED);
    return make(missing ? 'PARTNER_CENTER.CONSENT_MISSING' : 'PARTNER_CENTER.CONSENT_EXPIRED', true, entraError);
  }
  // invalid_client, unauthorized_client, unknown tenant, bad scope: the app registration or its settings are wrong.
  return make('PARTNER_CENTER.APP_CREDENTIALS_INVALID', false, entraError);
}

/** The App+User consent is gone (expired or revoked), as opposed to never given or the service being down. */
export function isConsentExpired(error: unknown): boolean {
  return toAppError(error, { correlationId: '-' }).code === 'PARTNER_CENTER.CONSENT_EXPIRED';
}
