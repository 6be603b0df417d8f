/**
 * The simulator's own control endpoint, for `npm run simulate` talking to the simulator inside a running
 * bot: `POST /_simulator/scenarios/{name}` with `{ "customer"?: "…" }`, `GET /_simulator/scenarios`.
 * Loopback callers only, with the bearer control token made up at each start (compared in constant time);
 * never recorded in the request log and never hit by injected faults.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http/read-body.ts';
import { SCENARIO_NAMES, ScenarioError, type RunScenario } from './scenarios/index.ts';
import { sendJson } from './sim-http.ts';

export const CONTROL_PREFIX = '/_simulator/';
const SCENARIOS_PATH = '/_simulator/scenarios';
const BODY_LIMIT_BYTES = 4 * 1024;
const MAX_CUSTOMER_LENGTH = 256;
const STATUS_BY_REASON = { 'unknown-scenario': 404, 'customer-not-found': 404, 'not-applicable': 409 } as const;

export interface ControlRouteOptions {
  controlToken(): string;
  runScenario: RunScenario;
}

export function createControlRoute(options: ControlRouteOptions) {
  return async function handleControl(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (!isLoopback(request.socket.remoteAddress)) return sendJson(response, 403, { error: 'forbidden', message: 'The control endpoint answers loopback callers only.' });
    if (!hasControlToken(request, options.controlToken())) return sendJson(response, 401, { error: 'unauthorized', message: 'The control token is missing or wrong.' }, { 'WWW-Authenticate': 'Bearer' });
    if (url.pathname === SCENARIOS_PATH && request.method === 'GET') return sendJson(response, 200, { scenarios: SCENARIO_NAMES });
    const name = url.pathname.startsWith(`${SCENARIOS_PATH}/`) ? decodeURIComponent(url.pathname.slice(SCENARIOS_PATH.length + 1)) : undefined;
    if (name === undefined || request.method !== 'POST') return sendJson(response, 404, { error: 'not_found', message: 'POST /_simulator/scenarios/{name}' });
    const customer = await readCustomer(request);
    if (customer instanceof Error) return sendJson(response, 400, { error: 'bad_request', message: customer.message });
    try {
      sendJson(response, 200, await options.runScenario(name, customer));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      sendJson(response, STATUS_BY_REASON[error.reason], { error: error.reason, message: error.message });
    }
  };
}

/** `{ "customer": "…" }`, an empty body, or an Error saying what is wrong. */
async function readCustomer(request: IncomingMessage): Promise<string | undefined | Error> {
  let text: string;
  try {
    text = (await readBody(request, BODY_LIMIT_BYTES)).toString('utf8').trim();
  } catch {
    return new Error(`The body must be JSON under ${BODY_LIMIT_BYTES} bytes.`);
  }
  if (!text) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Error('The body is not JSON.');
  }
  const customer = typeof body === 'object' && body !== null ? (body as { customer?: unknown }).customer : undefined;
  if (customer === undefined || customer === null) return undefined;
  if (typeof customer !== 'string' || customer.length > MAX_CUSTOMER_LENGTH) return new Error(`"customer" must be a string of at most ${MAX_CUSTOMER_LENGTH} characters.`);
  return customer;
}

/** Hashing first makes the comparison constant-time whatever the lengths. */
function hasControlToken(request: IncomingMessage, expected: string): boolean {
  const given = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length > 0;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}
