import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Large enough for any chat payload; a runaway client should fail loudly, not fill the test's memory. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {
  readonly statusCode = 413;
  constructor(limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
  }
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function readBody(req: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new BodyTooLargeError(limitBytes));
        // Stop buffering but keep the socket so the caller can still answer 413.
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/** Slack sends no repeated keys, so last-one-wins is enough and keeps values plain strings. */
export function decodeForm(raw: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw));
}

/** JSON and form bodies become objects; anything else stays text so a test can still inspect it. */
export function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return decodeForm(raw);
  if (type === 'application/json' || type?.endsWith('+json') || /^\s*[[{]/.test(raw)) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/** Lower-cased single-valued headers: easier to assert on than node's string | string[] union. */
export function toHeaderRecord(headers: IncomingHttpHeaders): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) record[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return record;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // The client may have given up, or stop() destroyed the socket during a fault delay.
  if (res.destroyed || !res.socket || res.socket.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text === '' ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Simulates a network failure: the client sees a reset socket, never a status line. */
export function dropConnection(res: ServerResponse): void {
  res.socket?.destroy();
}

/** Answers handler bugs with a 500 that names the cause instead of leaving the client hanging. */
function guard(handler: RequestHandler): http.RequestListener {
  return (req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const status = error instanceof BodyTooLargeError ? 413 : 500;
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, status, { error: { code: status === 413 ? 'PayloadTooLarge' : 'FakeServerError', message } }, {
        connection: 'close',
      });
    });
  };
}

/** Port 0 lets the OS pick a free port so parallel test files never collide. */
export async function listenOnLoopback(handler: RequestHandler): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(guard(handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** Destroys keep-alive sockets too; a plain close() would wait for clients' idle connections to time out. */
export async function closeServer(server: http.Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
