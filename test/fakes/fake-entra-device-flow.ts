/**
 * A loopback Entra that plays a scripted device code flow: `/devicecode` answers one configured body,
 * and each poll of `/token` takes the next scripted answer (the last one repeats). Every request form is
 * recorded so tests can check what the client sent. The simulator's own flow always succeeds; this fake
 * is for the endings it never plays (declined, expired, slow_down, odd bodies).
 */
import type http from 'node:http';
import { closeServer, decodeForm, listenOnLoopback, readBody, sendJson } from './http.ts';

export interface ScriptedAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface RecordedEntraRequest {
  path: string;
  form: Record<string, string>;
}

export interface FakeEntraDeviceFlow {
  url: string;
  readonly requests: RecordedEntraRequest[];
  stop(): Promise<void>;
}

export const FAKE_TENANT = 'contoso-partner-tenant';

/** Entra's error shape, down to the trace lines a client must not print. */
export function entraError(error: string, code: number, description: string): ScriptedAnswer {
  return { status: 400, body: { error, error_description: `AADSTS${code}: ${description}\r\nTrace ID: 0000-trace\r\nCorrelation ID: 1111-correlation`, error_codes: [code] } };
}

export const PENDING = entraError('authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');

export async function startFakeEntraDeviceFlow(script: { deviceCode: ScriptedAnswer; polls: ScriptedAnswer[] }): Promise<FakeEntraDeviceFlow> {
  const requests: RecordedEntraRequest[] = [];
  let next = 0;
  let server: http.Server | undefined;
  const started = await listenOnLoopback(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    requests.push({ path, form: decodeForm(await readBody(request)) });
    if (path === `/${FAKE_TENANT}/oauth2/v2.0/devicecode`) return sendJson(response, script.deviceCode.status, script.deviceCode.body);
    if (path !== `/${FAKE_TENANT}/oauth2/v2.0/token`) return sendJson(response, 404, { error: 'not_found' });
    const answer = script.polls[Math.min(next, script.polls.length - 1)];
    next += 1;
    sendJson(response, answer?.status ?? 500, answer?.body ?? {});
  });
  server = started.server;
  return {
    url: started.url,
    requests,
    async stop() {
      if (server) await closeServer(server);
      server = undefined;
    },
  };
}
