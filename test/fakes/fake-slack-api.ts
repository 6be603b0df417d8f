import type http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createCallLog } from './call-log.ts';
import { answerWithFaults, createFaultPlan, type CallMatcher, type Fault } from './faults.ts';
import { closeServer, decodeForm, listenOnLoopback, parseBody, readBody, toHeaderRecord } from './http.ts';
import {
  answerSlackMethod,
  decodeSlackArgs,
  DEFAULT_IDENTITY,
  type SlackArgs,
  type SlackChannel,
  type SlackIdentity,
  type SlackState,
  type SlackUser,
} from './slack-api-methods.ts';

export type { SlackArgs, SlackChannel, SlackIdentity, SlackUser } from './slack-api-methods.ts';

/** Calls to a `responseUrl()` are recorded under this pseudo method. */
export const RESPONSE_URL_METHOD = 'response_url';

export interface SlackCall {
  /** The Web API method (`chat.postMessage`), or `response_url`. */
  method: string;
  httpMethod: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed body with `blocks`, `attachments`, `view`… decoded back into objects; form booleans stay strings. */
  args: SlackArgs;
  token?: string;
  timestamp: number;
  /** The HTTP status answered; 0 when the connection was dropped. */
  status: number;
  response?: unknown;
}

/** `error` is shorthand for Slack's HTTP 200 `{ ok: false, error }`, e.g. `{ error: 'channel_not_found' }`. */
export interface SlackFault extends Fault {
  error?: string;
}

export interface FakeSlackApi {
  /** Origin of the fake, e.g. `http://127.0.0.1:4567`; throws before start(). */
  readonly url: string;
  /** Pass as WebClient `slackApiUrl` / Bolt `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  readonly calls: readonly SlackCall[];
  start(): Promise<{ url: string; apiUrl: string }>;
  stop(): Promise<void>;
  /** Forgets calls, faults, users and channels; timestamps keep counting so they stay unique. */
  reset(): void;
  failNext(fault: SlackFault, count?: number, method?: string | CallMatcher<SlackCall>): void;
  setResponder(responder: ((call: SlackCall) => SlackFault | undefined) | undefined): void;
  setUser(user: SlackUser): void;
  setChannel(channel: SlackChannel): void;
  /** A `response_url` for inbound payloads that points back at this fake. */
  responseUrl(id?: string): string;
  callsOf(method: string): SlackCall[];
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<SlackCall[]>;
}

export interface FakeSlackApiOptions {
  identity?: Partial<SlackIdentity>;
  /** When set, any other token gets `invalid_auth`; a missing token always gets `not_authed`. */
  token?: string;
  bodyLimitBytes?: number;
}

/** Slack always sends Retry-After with a 429; WebClient gives up without one. */
function toFault(fault: SlackFault): Fault {
  const { error, ...rest } = fault;
  if (error !== undefined) return { status: 200, ...rest, body: { ok: false, error } };
  if (rest.status === 429 && rest.headers === undefined) return { ...rest, headers: { 'retry-after': '1' } };
  return rest;
}

function defaultErrorBody(status: number): unknown {
  return { ok: false, error: status === 429 ? 'ratelimited' : 'fatal_error' };
}

function readToken(headers: Record<string, string>, args: SlackArgs): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
  return bearer ?? (typeof args.token === 'string' ? args.token : undefined);
}

export function createFakeSlackApi(options: FakeSlackApiOptions = {}): FakeSlackApi {
  const log = createCallLog<SlackCall>();
  const faults = createFaultPlan<SlackCall>();
  let sequence = 0;
  const state: SlackState = {
    identity: { ...DEFAULT_IDENTITY, ...options.identity },
    users: new Map(),
    channels: new Map(),
    nextTs: () => `${1_700_000_000 + ++sequence}.000100`,
    nextId: (prefix) => `${prefix}0FAKE${String(++sequence).padStart(4, '0')}`,
  };
  let server: http.Server | undefined;
  let origin: string | undefined;

  const requireOrigin = (): string => {
    if (!origin) throw new Error('fake Slack API: call start() before reading its url');
    return origin;
  };
  const callsOf = (method: string): SlackCall[] => log.calls.filter((call) => call.method === method);

  function answerNormally(call: SlackCall): { status: number; body: unknown } {
    if (call.method === RESPONSE_URL_METHOD) return { status: 200, body: { ok: true } };
    if (call.method === '') return { status: 404, body: { ok: false, error: 'not_found' } };
    if (!call.token) return { status: 200, body: { ok: false, error: 'not_authed' } };
    if (options.token !== undefined && call.token !== options.token) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    return { status: 200, body: answerSlackMethod(call.method, call.args, state) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req, options.bodyLimitBytes);
    const [pathname = '/', query = ''] = (req.url ?? '/').split('?');
    const headers = toHeaderRecord(req.headers);
    // Slack also accepts GET with query arguments; body arguments win like they do on Slack.
    const args = { ...decodeSlackArgs(decodeForm(query)), ...decodeSlackArgs(parseBody(raw, headers['content-type'])) };
    const method = pathname.startsWith('/response/') ? RESPONSE_URL_METHOD : (/^\/api\/([\w.]+)$/.exec(pathname)?.[1] ?? '');
    const call: SlackCall = {
      method,
      httpMethod: req.method ?? 'POST',
      path: req.url ?? '/',
      headers,
      args,
      token: readToken(headers, args),
      timestamp: Date.now(),
      status: 0,
    };
    await answerWithFaults(res, call, { faults, record: (recorded) => log.record(recorded), errorBody: defaultErrorBody, answer: () => answerNormally(call) });
  }

  return {
    get url() {
      return requireOrigin();
    },
    get apiUrl() {
      return `${requireOrigin()}/api/`;
    },
    get calls() {
      return log.calls;
    },
    async start() {
      if (server) throw new Error('fake Slack API already started');
      ({ server, url: origin } = await listenOnLoopback(handle));
      return { url: origin, apiUrl: `${origin}/api/` };
    },
    async stop() {
      const running = server;
      server = undefined;
      faults.cancelDelays();
      log.abortWaits('fake Slack API stopped');
      if (running) await closeServer(running);
    },
    reset() {
      log.clear();
      faults.clear();
      state.users.clear();
      state.channels.clear();
    },
    failNext(fault, count, method) {
      const match = typeof method === 'string' ? (call: SlackCall) => call.method === method : method;
      faults.failNext(toFault(fault), count, match);
    },
    setResponder(responder) {
      faults.setResponder(responder && ((call) => {
        const fault = responder(call);
        return fault && toFault(fault);
      }));
    },
    setUser: (user) => state.users.set(user.id, user),
    setChannel: (channel) => state.channels.set(channel.id, channel),
    responseUrl: (id = 'default') => `${requireOrigin()}/response/${encodeURIComponent(id)}`,
    callsOf,
    waitForCalls(method, count, timeoutMs = 2000) {
      return log.waitUntil(
        () => (callsOf(method).length >= count ? callsOf(method) : undefined),
        timeoutMs,
        () => describeCalls(method, count, log.calls),
      );
    },
  };
}

function describeCalls(method: string, expected: number, calls: readonly SlackCall[]): string {
  const lines = calls.map((call) => {
    const error = (call.response as { error?: string } | undefined)?.error;
    const channel = typeof call.args.channel === 'string' ? ` channel=${call.args.channel}` : '';
    return `  ${call.method || call.path} -> ${call.status}${error ? ` ${error}` : ''}${channel}`;
  });
  const got = calls.filter((call) => call.method === method).length;
  return `expected ${expected} ${method} calls, got ${got}; calls received:\n${lines.join('\n') || '  (no calls at all)'}`;
}
