/**
 * Slack's Socket Mode on loopback: the fake Slack Web API answers `apps.connections.open` with the URL of a
 * local WebSocket server (the `ws` package), which says hello, pushes envelopes (events_api,
 * slash_commands, interactive) and records the acks the app sends back, as Slack's servers do.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlackApi } from './fake-slack-api.ts';

export interface SocketModeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSocketMode {
  /** The ws:// URL apps.connections.open hands out. */
  readonly url: string;
  /** Connections accepted so far (a reconnect adds one). */
  readonly connectionCount: number;
  readonly openConnections: number;
  readonly acks: readonly SocketModeAck[];
  /** Sends an envelope to the newest open connection; returns its envelope_id. */
  sendEnvelope(type: 'events_api' | 'slash_commands' | 'interactive', payload: Record<string, unknown>, extra?: { retry_attempt?: number; retry_reason?: string; envelope_id?: string }): string;
  /** Slack's "please reconnect" message (it recycles the server behind a connection). */
  askToReconnect(): void;
  waitForConnections(count: number, timeoutMs?: number): Promise<void>;
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketModeAck>;
  waitUntilClosed(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const HELLO = { type: 'hello', num_connections: 1, debug_info: { host: 'fake-socket-mode', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0FAKEAPP' } };

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`fake Socket Mode: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/link' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const sockets: WebSocket[] = [];
  const acks: SocketModeAck[] = [];
  let connectionCount = 0;
  server.on('connection', (socket) => {
    connectionCount += 1;
    sockets.push(socket);
    socket.on('message', (data) => acks.push(JSON.parse(String(data)) as SocketModeAck));
    socket.send(JSON.stringify(HELLO));
  });
  const open = () => sockets.filter((socket) => socket.readyState === socket.OPEN);
  const newest = (): WebSocket => {
    const socket = open().at(-1);
    if (!socket) throw new Error('fake Socket Mode: no open connection');
    return socket;
  };
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/link`,
    get connectionCount() {
      return connectionCount;
    },
    get openConnections() {
      return open().length;
    },
    acks,
    sendEnvelope(type, payload, extra = {}) {
      const envelopeId = extra.envelope_id ?? randomUUID();
      const events = type === 'events_api' ? { retry_attempt: extra.retry_attempt ?? 0, retry_reason: extra.retry_reason ?? '' } : {};
      newest().send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', ...events }));
      return envelopeId;
    },
    askToReconnect() {
      newest().send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake-socket-mode' } }));
    },
    waitForConnections: (count, timeoutMs = 5000) => waitUntil(() => connectionCount >= count && open().length > 0, timeoutMs, `${count} connections`),
    async waitForAck(envelopeId, timeoutMs = 5000) {
      await waitUntil(() => acks.some((ack) => ack.envelope_id === envelopeId), timeoutMs, `the ack of ${envelopeId}`);
      return acks.find((ack) => ack.envelope_id === envelopeId) as SocketModeAck;
    },
    waitUntilClosed: (timeoutMs = 5000) => waitUntil(() => open().length === 0, timeoutMs, 'every connection to close'),
    async stop() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Makes the fake Web API answer `apps.connections.open` like Slack: the socket URL for the app-level
 * token, `invalid_auth` for any other token. Other methods keep their normal answers.
 */
export function serveConnectionsOpen(slack: FakeSlackApi, socket: FakeSocketMode, appToken: string): void {
  slack.setResponder((call) => {
    if (call.method !== 'apps.connections.open') return undefined;
    if (call.token !== appToken) return { error: 'invalid_auth' };
    return { status: 200, body: { ok: true, url: socket.url } };
  });
}
