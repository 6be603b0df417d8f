/**
 * The simulator's two APIs as "areas": Partner Center (`/v1/…`, `/auditactivity/…`, `/webhooks/…`) and
 * Microsoft Graph (`/v1.0/…`). Each has its own token audience, echo headers and error body, so a test
 * sees exactly what the real service would send — including for injected faults.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from './controls.ts';
import { createRelationshipRequestUrl } from './customers.routes.ts';
import { GRAPH_WRITE_PREFIX } from './graph.routes.ts';
import type { PartnerCenterRequest } from './partner-center-request.ts';
import { sendGraphError, sendJson, sendPartnerCenterError, sendText } from './sim-http.ts';
import type { TokenAudience } from './tokens.ts';

export type RouteFn = (call: PartnerCenterRequest) => boolean;
type SendError = (response: http.ServerResponse, status: number, message: string, headers: Record<string, string>) => void;

export interface ApiArea {
  prefixes: string[];
  audience: TokenAudience;
  routes: RouteFn[];
  /** Writes are allowed only where the real API takes them. */
  allowsMethod(method: string, path: string): boolean;
  echoHeaders(request: http.IncomingMessage): Record<string, string>;
  sendError: SendError;
}

export function createPartnerCenterArea(routes: RouteFn[]): ApiArea {
  return {
    prefixes: ['/v1/', '/auditactivity/', '/webhooks/'],
    audience: 'partner-center',
    routes,
    allowsMethod: (method, path) => method === 'GET' || (path.startsWith('/webhooks/') && (method === 'POST' || method === 'PUT')),
    // MS-RequestId and MS-CorrelationId are echoed on every answer, as Partner Center does.
    echoHeaders(request) {
      const echo: Record<string, string> = {};
      for (const [name, shown] of [['ms-requestid', 'MS-RequestId'], ['ms-correlationid', 'MS-CorrelationId']] as const) {
        const value = request.headers[name];
        if (typeof value === 'string') echo[shown] = value;
      }
      return echo;
    },
    sendError: sendPartnerCenterError,
  };
}

export function createGraphArea(routes: RouteFn[]): ApiArea {
  return {
    prefixes: ['/v1.0/'],
    audience: 'graph',
    routes,
    // GDAP is written through Graph (create, requests, access assignments); everything else is read only.
    allowsMethod: (method, path) => method === 'GET' || ((method === 'POST' || method === 'PATCH') && path.startsWith(GRAPH_WRITE_PREFIX)),
    // Graph answers with its own request-id and echoes the caller's client-request-id.
    echoHeaders(request) {
      const clientRequestId = request.headers['client-request-id'];
      return { 'request-id': randomUUID(), ...(typeof clientRequestId === 'string' ? { 'client-request-id': clientRequestId } : {}) };
    },
    sendError: sendGraphError,
  };
}

export function findArea(areas: readonly ApiArea[], path: string): ApiArea | undefined {
  return areas.find((area) => area.prefixes.some((prefix) => path.startsWith(prefix)));
}

/** Authenticates with the area's audience, checks the method, then lets the first matching route answer. */
export function answerArea(area: ApiArea, call: Omit<PartnerCenterRequest, 'tokenKind'>): void {
  const { request, response, echoHeaders, state, url } = call;
  const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  const tokenKind = bearer ? state.tokens.verifyAccessToken(bearer, area.audience) : undefined;
  if (!tokenKind) return area.sendError(response, 401, 'The access token is missing, unknown, expired or for another API.', { ...echoHeaders, 'WWW-Authenticate': 'Bearer' });
  if (!area.allowsMethod(request.method ?? 'GET', url.pathname)) return area.sendError(response, 405, `${request.method ?? ''} is not supported here.`, echoHeaders);
  const routed = area.routes.some((route) => route({ ...call, tokenKind }));
  if (!routed) area.sendError(response, 404, 'The requested resource was not found.', echoHeaders);
}

export interface FaultTarget {
  response: http.ServerResponse;
  echo: Record<string, string>;
  sendError: SendError;
  signal: AbortSignal;
  partnerTenantId: string;
}

/** True when the fault answered the request; a delay only postpones the normal answer. */
export async function applyFault(fault: Fault, target: FaultTarget): Promise<boolean> {
  const { response, echo, sendError } = target;
  switch (fault.kind) {
    case 'throttle':
      sendError(response, 429, 'Too many requests. Retry later.', { ...echo, 'Retry-After': String(fault.retryAfterSeconds) });
      return true;
    case 'fail':
      sendError(response, fault.status, `Simulated failure ${fault.status}.`, echo);
      return true;
    case 'drop':
      response.socket?.destroy();
      return true;
    case 'malform':
      sendMalformed(response, fault.shape, echo, target.partnerTenantId);
      return true;
    case 'delay':
      await sleep(fault.ms, undefined, { signal: target.signal }).catch(() => undefined);
      return target.signal.aborted;
  }
}

function sendMalformed(response: http.ServerResponse, shape: string, echo: Record<string, string>, partnerTenantId: string): void {
  if (shape === 'not-json') {
    return sendText(response, 200, '<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>', { ...echo, 'content-type': 'text/html; charset=utf-8' });
  }
  // The wrong shape fails both APIs' schemas (no `url`, no `items`, `value` not an array).
  const body = shape === 'insecure-url' ? { url: createRelationshipRequestUrl(partnerTenantId, 'http'), attributes: { objectType: 'RelationshipRequest' } } : { attributes: { objectType: 'Unexpected' }, value: null };
  sendJson(response, 200, body, echo);
}
