/**
 * A local Partner Center with its Entra token endpoint, on one node:http server, speaking the real wire
 * format (paths, headers, paging, error bodies). Local mode runs the bot against it; tests drive its
 * faults through `controls`.
 */
import http from 'node:http';
import { serveCertificate } from './webhooks/certificates.ts';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../core/ports.ts';
import { createSimulatorState, type Fault, type RecordedRequest, type SimulatorControls } from './controls.ts';
import { createCustomerRoutes, createRelationshipRequestUrl } from './customers.routes.ts';
import * as defaults from './defaults.ts';
import { createEntraRoutes, ENTRA_TOKEN_PATH } from './entra.routes.ts';
import type { PartnerCenterRequest } from './partner-center-request.ts';
import { routeRelationships } from './relationships.routes.ts';
import { createCustomerDirectory } from './seed.ts';
import { sendJson, sendPartnerCenterError, sendText, toHeaderRecord } from './sim-http.ts';
import { createTokenRegistry } from './tokens.ts';

export interface PartnerCenterSimulatorOptions {
  /** Generated customers on top of the twelve hand-written ones (deterministic ids; built lazily). */
  seedCustomers?: number;
  partnerTenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** The refresh token that works at start (and after `reset()`). */
  refreshToken?: string;
  clock?: Clock;
  accessTokenLifetimeSeconds?: number;
  refreshTokenGraceMs?: number;
}

export interface PartnerCenterSimulator {
  start(port?: number, host?: string): Promise<{ url: string }>;
  stop(): Promise<void>;
  /** Base URL of both Partner Center (`{url}/v1/…`) and the token authority (`{url}/{tenant}/oauth2/v2.0/token`). */
  readonly url: string;
  readonly controls: SimulatorControls;
}

const systemClock: Clock = { now: () => Date.now() };

export function createPartnerCenterSimulator(options: PartnerCenterSimulatorOptions = {}): PartnerCenterSimulator {
  const clock = options.clock ?? systemClock;
  const partnerTenantId = options.partnerTenantId ?? defaults.SIMULATOR_PARTNER_TENANT_ID;
  const tokens = createTokenRegistry({
    clock,
    initialRefreshToken: options.refreshToken ?? defaults.SIMULATOR_REFRESH_TOKEN,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? defaults.SIMULATOR_ACCESS_TOKEN_LIFETIME_SECONDS,
    refreshTokenGraceMs: options.refreshTokenGraceMs ?? defaults.SIMULATOR_REFRESH_TOKEN_GRACE_MS,
  });
  const state = createSimulatorState(tokens, createCustomerDirectory(options.seedCustomers ?? 0));
  const entra = createEntraRoutes({
    tokens,
    clock,
    partnerTenantId,
    clientId: options.clientId ?? defaults.SIMULATOR_CLIENT_ID,
    clientSecret: options.clientSecret ?? defaults.SIMULATOR_CLIENT_SECRET,
  });
  const routes = [createCustomerRoutes(partnerTenantId), routeRelationships];
  let delays = new AbortController();
  let baseUrl: string | undefined;

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator.invalid');
    const recorded: RecordedRequest = { method: request.method ?? 'GET', path: request.url ?? '/', headers: toHeaderRecord(request.headers) };
    state.record(recorded);
    const echoHeaders = toEchoHeaders(request);
    const fault = state.takeFault(recorded.path);
    if (fault && (await applyFault(fault, response, echoHeaders, delays.signal, partnerTenantId))) return;
    const token = ENTRA_TOKEN_PATH.exec(url.pathname);
    if (token && request.method === 'POST') return entra.handleTokenRequest(request, response, decodeURIComponent(token[1] ?? ''), recorded);
    if (url.pathname.startsWith('/v1/')) return answerPartnerCenter({ request, response, url, echoHeaders, state }, routes);
    if (serveCertificate(request, response)) return;
    sendJson(response, 404, { error: 'not_found', path: url.pathname });
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      sendJson(response, 500, { code: 'SimulatorError', description: error instanceof Error ? error.message : String(error), data: [], source: 'Simulator' });
    });
  });

  return {
    controls: state.controls,
    get url() {
      if (!baseUrl) throw new Error('the simulator is not started');
      return baseUrl;
    },
    async start(port = 0, host = '127.0.0.1') {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      return { url: baseUrl };
    },
    async stop() {
      delays.abort();
      delays = new AbortController();
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      baseUrl = undefined;
    },
  };
}

/** For the composition root (local mode): create and start in one step. */
export async function startSimulator(options: PartnerCenterSimulatorOptions & { port?: number; host?: string } = {}): Promise<PartnerCenterSimulator> {
  const simulator = createPartnerCenterSimulator(options);
  await simulator.start(options.port, options.host);
  return simulator;
}

function toEchoHeaders(request: http.IncomingMessage): Record<string, string> {
  const echo: Record<string, string> = {};
  for (const name of ['ms-requestid', 'ms-correlationid'] as const) {
    const value = request.headers[name];
    if (typeof value === 'string') echo[name === 'ms-requestid' ? 'MS-RequestId' : 'MS-CorrelationId'] = value;
  }
  return echo;
}

type RouteFn = (call: PartnerCenterRequest) => boolean;

function answerPartnerCenter(call: Omit<PartnerCenterRequest, 'tokenKind'>, routes: RouteFn[]): void {
  const { request, response, echoHeaders, state } = call;
  const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  const tokenKind = bearer ? state.tokens.verifyAccessToken(bearer) : undefined;
  if (!tokenKind) return sendPartnerCenterError(response, 401, 'The access token is missing, unknown or expired.', { ...echoHeaders, 'WWW-Authenticate': 'Bearer' });
  if (request.method !== 'GET') return sendPartnerCenterError(response, 405, `${request.method ?? ''} is not supported here.`, echoHeaders);
  const routed = routes.some((route) => route({ ...call, tokenKind }));
  if (!routed) sendPartnerCenterError(response, 404, 'The requested resource was not found.', echoHeaders);
}

/** True when the fault answered the request; a delay only postpones the normal answer. */
async function applyFault(fault: Fault, response: http.ServerResponse, echo: Record<string, string>, signal: AbortSignal, partnerTenantId: string): Promise<boolean> {
  switch (fault.kind) {
    case 'throttle':
      sendPartnerCenterError(response, 429, 'Too many requests. Retry later.', { ...echo, 'Retry-After': String(fault.retryAfterSeconds) });
      return true;
    case 'fail':
      sendPartnerCenterError(response, fault.status, `Simulated failure ${fault.status}.`, echo);
      return true;
    case 'drop':
      response.socket?.destroy();
      return true;
    case 'malform':
      sendMalformed(response, fault.shape, echo, partnerTenantId);
      return true;
    case 'delay':
      await sleep(fault.ms, undefined, { signal }).catch(() => undefined);
      return signal.aborted;
  }
}

function sendMalformed(response: http.ServerResponse, shape: string, echo: Record<string, string>, partnerTenantId: string): void {
  if (shape === 'not-json') {
    return sendText(response, 200, '<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>', { ...echo, 'content-type': 'text/html; charset=utf-8' });
  }
  const body = shape === 'insecure-url' ? { url: createRelationshipRequestUrl(partnerTenantId, 'http'), attributes: { objectType: 'RelationshipRequest' } } : { attributes: { objectType: 'Unexpected' }, value: null };
  sendJson(response, 200, body, echo);
}
