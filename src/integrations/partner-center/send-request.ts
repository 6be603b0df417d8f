/**
 * One HTTP exchange with axios, turned into either the response text (2xx) or one of the errors in
 * call-errors.ts. axios' own errors never escape: they hold the request config, bearer token included.
 */
import axios, { type AxiosInstance } from 'axios';
import { HttpStatusError, MalformedResponseError, TransportError, type Service } from './call-errors.ts';

/** 500 customers are well under 1 MiB; a much larger answer is not one we asked for. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** A sanity clamp only (a nonsense Retry-After must not overflow timers); the retry policy applies the real cap. */
const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;

export interface HttpRequest {
  service: Service;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  /** Path without query string: what errors and logs may show. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export function createHttp(): AxiosInstance {
  return axios.create({
    // Bodies are parsed by us so that "not JSON" is an error, not a silently kept string.
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    maxContentLength: MAX_RESPONSE_BYTES,
  });
}

export async function sendRequest(http: AxiosInstance, request: HttpRequest): Promise<string> {
  // One deadline for the whole exchange; axios' `timeout` only watches socket inactivity.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), request.timeoutMs);
  try {
    const response = await http.request<string>({ method: request.method, url: request.url, headers: request.headers, data: request.body, signal: deadline.signal });
    const text = typeof response.data === 'string' ? response.data : '';
    if (response.status >= 200 && response.status < 300) return text;
    throw new HttpStatusError(request.service, response.status, request.path, {
      ...readErrorBody(text),
      retryAfterSeconds: readRetryAfter(response.headers['retry-after'], Date.now()),
    });
  } catch (error) {
    if (error instanceof HttpStatusError) throw error;
    if (deadline.signal.aborted) throw new TransportError(request.service, 'ETIMEDOUT', request.path, `no answer within ${request.timeoutMs} ms`);
    throw toTransportError(request, error);
  } finally {
    clearTimeout(timer);
  }
}

export function parseJson(text: string, service: Service, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedResponseError(service, path, 'the body is not JSON');
  }
}

function toTransportError(request: HttpRequest, error: unknown): TransportError {
  const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'EUNKNOWN';
  if (code === 'ERR_BAD_RESPONSE' || code === 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED') {
    return new TransportError(request.service, code, request.path, 'the answer was too large or cut off');
  }
  // Node's messages name the code and the address, never headers or bodies.
  const detail = error instanceof Error ? error.message : String(error);
  return new TransportError(request.service, code, request.path, detail);
}

/** Only the codes: descriptions can quote customer data and never reach logs. */
function readErrorBody(text: string): { errorCode?: string; entraErrorCodes?: number[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof body !== 'object' || body === null) return {};
  const { code, error, error_codes: codes } = body as { code?: unknown; error?: unknown; error_codes?: unknown };
  // Entra: `error` is the OAuth code; Graph: `error` is an object whose `code` names the failure; Partner Center: `code`.
  const graphCode = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const errorCode = typeof error === 'string' ? error : typeof graphCode === 'string' ? graphCode : typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
  const entraErrorCodes = Array.isArray(codes) ? codes.filter((item): item is number => typeof item === 'number') : undefined;
  return { ...(errorCode ? { errorCode: errorCode.slice(0, 64) } : {}), ...(entraErrorCodes ? { entraErrorCodes } : {}) };
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110). */
export function readRetryAfter(value: unknown, now: number): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Math.ceil((Date.parse(value) - now) / 1000);
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_SECONDS);
}
