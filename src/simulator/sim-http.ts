/** HTTP plumbing shared by the simulator's routes: bodies, JSON answers and the two error shapes. */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http/read-body.ts';

/** Token requests are tiny; anything bigger is a client bug the simulator should not buffer. */
const BODY_LIMIT_BYTES = 64 * 1024;

export async function readForm(request: IncomingMessage): Promise<Record<string, string>> {
  const body = await readBody(request, BODY_LIMIT_BYTES);
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
}

/** Lower-cased, single-valued headers: what tests assert on. */
export function toHeaderRecord(headers: IncomingHttpHeaders): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) record[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return record;
}

/** True when nobody is listening any more (client gave up, or stop() destroyed the socket mid-delay). */
function isGone(response: ServerResponse): boolean {
  return response.destroyed || !response.socket || response.socket.destroyed;
}

export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (isGone(response)) return;
  response.writeHead(status, { 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(response, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', ...headers });
}

/** Partner Center's error body. The numeric codes are illustrative: Microsoft documents the shape, not a full list. */
export function sendPartnerCenterError(response: ServerResponse, status: number, description: string, headers: Record<string, string> = {}): void {
  const body = { code: PARTNER_CENTER_ERROR_CODES[status] ?? status, description, data: [], source: 'PartnerFD' };
  sendJson(response, status, body, headers);
}

const PARTNER_CENTER_ERROR_CODES: Record<number, number> = { 400: 2000, 401: 900401, 403: 900403, 404: 600008, 429: 900429, 500: 900500, 503: 900503 };

export interface EntraErrorSpec {
  status: number;
  error: string;
  code: number;
  description: string;
}

/** Entra's OAuth error body, down to the AADSTS prefix and the trace lines real clients see. */
export function sendEntraError(response: ServerResponse, spec: EntraErrorSpec, now: number): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date(now).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  sendJson(response, spec.status, {
    error: spec.error,
    error_description: `AADSTS${spec.code}: ${spec.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [spec.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${spec.code}`,
  });
}

const GRAPH_ERROR_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'Authorization_RequestDenied',
  404: 'Request_ResourceNotFound',
  405: 'MethodNotAllowed',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

/** Microsoft Graph's OData error body, with the request ids Graph puts in `innerError`. */
export function sendGraphError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const innerError = { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': headers['request-id'] ?? randomUUID(), 'client-request-id': headers['client-request-id'] ?? '' };
  sendJson(response, status, { error: { code: GRAPH_ERROR_CODES[status] ?? 'UnknownError', message, innerError } }, headers);
}

/** A request body as JSON, or undefined when it is not JSON (the route answers its own 400). At most `limit` bytes. */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(request, limit);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
