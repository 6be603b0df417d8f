import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { simulatorWebhookIdentity } from '../../../src/simulator/webhooks/index.ts';

export interface ReceivedWebhook {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json: Record<string, unknown>;
}

export interface WebhookReceiver {
  /** `{base}/hook?token=secret-token` */
  url: string;
  received: ReceivedWebhook[];
  /** The status the next deliveries get. */
  answer(status: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  stop(): Promise<void>;
}

/** A loopback stand-in for the bot's webhook route: records what arrives and answers a set status. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        // not JSON: tests look at `body`
      }
      received.push({ url: request.url ?? '/', headers: request.headers, body, json });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook?token=secret-token`,
    received,
    answer: (next) => void (status = next),
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      if (received.length < count) throw new Error(`expected ${count} webhooks, got ${received.length}`);
      return received;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** True when the signature header verifies over the exact body bytes with the simulator's certificate. */
export function isSignedBySimulator(webhook: ReceivedWebhook): boolean {
  const header = (webhook.headers.authorization ?? webhook.headers['x-ms-signature']) as string | undefined;
  const signature = /^Signature (\S+)$/.exec(header ?? '')?.[1];
  if (!signature) return false;
  const key = new X509Certificate(simulatorWebhookIdentity().certificate).publicKey;
  return verify('RSA-SHA256', webhook.body, key, Buffer.from(signature, 'base64'));
}
