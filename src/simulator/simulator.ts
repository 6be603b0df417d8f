/**
 * A local Partner Center with its Entra token endpoint and Graph's GDAP API, on one node:http server,
 * speaking the real wire formats (paths, headers, paging, error bodies). Local mode runs the bot against
 * it; tests drive its faults and state through `controls`.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../core/ports.ts';
import { answerArea, applyFault, createGraphArea, createPartnerCenterArea, findArea } from './api-areas.ts';
import { createAuditLog } from './audit-log.ts';
import { createAuditRoutes } from './audit.routes.ts';
import { createSimulatorState, type RecordedRequest, type SimulatorControls } from './controls.ts';
import { CONTROL_PREFIX, createControlRoute } from './control.routes.ts';
import { createCustomerRoutes } from './customers.routes.ts';
import * as defaults from './defaults.ts';
import { createEntraRoutes, ENTRA_TOKEN_PATH } from './entra.routes.ts';
import { createGdapDirectory } from './gdap.ts';
import { createGraphRoutes } from './graph.routes.ts';
import { routeRelationships } from './relationships.routes.ts';
import { createScenarioRunner } from './scenarios/index.ts';
import { createCustomerDirectory } from './seed.ts';
import { sendJson, sendPartnerCenterError, toHeaderRecord } from './sim-http.ts';
import { createTokenRegistry } from './tokens.ts';
import { createRegistrationRoutes } from './webhook-registration.routes.ts';
import { serveCertificate } from './webhooks/certificates.ts';
import { createWebhookDelivery } from './webhooks/webhook-delivery.ts';
import { createWebhookEventBuilders, PARTNER_CENTER_BASE_URL } from './webhooks/webhook-events.ts';
import { createWebhookRegistry } from './webhooks/webhook-registry.ts';

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
  /** Base URL of Partner Center (`{url}/v1/…`), Graph (`{url}/v1.0/…`) and the token authority (`{url}/{tenant}/oauth2/v2.0/token`). */
  readonly url: string;
  /** Bearer token for `{url}/_simulator/…` (control.routes.ts), new at every start: a secret, never log it. */
  readonly controlToken: string;
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
  // Aborted at stop: pending delays and webhook deliveries end with the simulator.
  let inflight = new AbortController();
  let baseUrl: string | undefined;
  let controlToken = randomBytes(32).toString('base64url');
  const ownUrl = () => baseUrl ?? 'http://simulator.invalid';
  const parts = {
    tokens,
    customers: createCustomerDirectory(options.seedCustomers ?? 0),
    gdap: createGdapDirectory(clock),
    audit: createAuditLog(partnerTenantId, clock),
    webhooks: createWebhookRegistry(clock),
  };
  // Events name the real Partner Center host, as Microsoft's do; clients send only the paths to the simulator.
  const events = createWebhookEventBuilders({ baseUrl: PARTNER_CENTER_BASE_URL, clock: () => clock.now() });
  const deliver = createWebhookDelivery({ registration: () => parts.webhooks.get(), simulatorUrl: ownUrl, signal: () => inflight.signal });
  const runScenario = createScenarioRunner({ ...parts, events, clock }, deliver);
  const state = createSimulatorState(parts, runScenario);
  const entra = createEntraRoutes({
    tokens,
    clock,
    partnerTenantId,
    clientId: options.clientId ?? defaults.SIMULATOR_CLIENT_ID,
    clientSecret: options.clientSecret ?? defaults.SIMULATOR_CLIENT_SECRET,
  });
  const control = createControlRoute({ controlToken: () => controlToken, runScenario });
  const areas = [
    createPartnerCenterArea([createCustomerRoutes(partnerTenantId), routeRelationships, createAuditRoutes(clock), createRegistrationRoutes({ deliver, events, clock, partnerTenantId })]),
    createGraphArea([createGraphRoutes(ownUrl)]),
  ];

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator.invalid');
    if (url.pathname.startsWith(CONTROL_PREFIX)) return control(request, response, url);
    const recorded: RecordedRequest = { method: request.method ?? 'GET', path: request.url ?? '/', headers: toHeaderRecord(request.headers) };
    state.record(recorded);
    const area = findArea(areas, url.pathname);
    const echoHeaders = area ? area.echoHeaders(request) : {};
    const fault = state.takeFault(recorded.path);
    const sendError = area?.sendError ?? sendPartnerCenterError;
    if (fault && (await applyFault(fault, { response, echo: echoHeaders, sendError, signal: inflight.signal, partnerTenantId }))) return;
    const token = ENTRA_TOKEN_PATH.exec(url.pathname);
    if (token && request.method === 'POST') return entra.handleTokenRequest(request, response, decodeURIComponent(token[1] ?? ''), recorded);
    if (area) return answerArea(area, { request, response, url, echoHeaders, state });
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
    get controlToken() {
      if (!baseUrl) throw new Error('the simulator is not started');
      return controlToken;
    },
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
      controlToken = randomBytes(32).toString('base64url');
      return { url: baseUrl };
    },
    async stop() {
      inflight.abort();
      inflight = new AbortController();
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
