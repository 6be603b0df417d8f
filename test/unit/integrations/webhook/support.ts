/**
 * Shared by the webhook verifier tests: the committed certificate fixtures, a loopback server that serves
 * them (and misbehaves on request), and a harness wiring a verifier to that server with counted fetches.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCertificateFetcher } from '../../../../src/integrations/partner-center/webhook/fetch-certificate.ts';
import { createWebhookVerifier, type WebhookRequest, type WebhookVerifier, type WebhookVerifierOptions } from '../../../../src/integrations/partner-center/webhook/verify-webhook.ts';
import { serveCertificate } from '../../../../src/simulator/webhooks/certificates.ts';
import { createWebhookEventBuilders } from '../../../../src/simulator/webhooks/webhook-events.ts';
import { createWebhookSender, type SignedWebhook, type WebhookSender, type WebhookSenderOptions } from '../../../../src/simulator/webhooks/webhook-sender.ts';

const FIXTURES = new URL('../../../fixtures/partner-center-webhooks/', import.meta.url);
export const TOKEN = 'sentinel-webhook-token-3f9c1d';
export const BOT_URL = `https://bot.example.com/api/partner-center/webhook?token=${TOKEN}`;
export const CUSTOMER = '4b2a6e33-8791-4386-bd2b-0d55baf25039';

export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

export function fixtureText(name: string): string {
  return fixture(name).toString('utf8');
}

/** Headers as Node hands them to a route: lower-case names. */
export function toRequest(signed: SignedWebhook): WebhookRequest & { headers: Record<string, string> } {
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { rawBody: signed.body, query: new URL(signed.url).searchParams, headers };
}

export interface CertServer {
  url: string;
  hits(path: string): number;
  /** Every path asked for, in order. */
  requested(): string[];
  stop(): Promise<void>;
}

const TWENTY_KIB = Buffer.alloc(20 * 1024, 0x41);

/** The misbehaviours, by path; `/cert/…` goes to the simulator's own route, `/fixtures/<name>` to the files. */
const BEHAVIOURS: Record<string, (response: http.ServerResponse) => void> = {
  '/redirect/x.cer': (response) => response.writeHead(302, { location: '/cert/simulator-signing.cer' }).end(),
  '/stall/x.cer': () => undefined,
  '/drip/x.cer': (response) => response.writeHead(200, { 'content-length': '1200' }).write(fixture('simulator-signing.cer').subarray(0, 10)),
  '/big/x.cer': (response) => response.writeHead(200, { 'content-length': String(TWENTY_KIB.length) }).end(TWENTY_KIB),
  '/big-chunked/x.cer': (response) => {
    response.writeHead(200);
    for (let offset = 0; offset < TWENTY_KIB.length; offset += 1024) response.write(TWENTY_KIB.subarray(offset, offset + 1024));
    response.end();
  },
  '/garbage/x.cer': (response) => response.writeHead(200).end(Buffer.from('0\x82\x02\x00not a certificate at all'.repeat(20), 'latin1')),
  '/pem-garbage/x.cer': (response) => response.writeHead(200).end('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
};

export async function startCertServer(): Promise<CertServer> {
  const counts = new Map<string, number>();
  const requested: string[] = [];
  const files = new Set(readdirSync(FIXTURES).filter((name) => name.endsWith('.cer')));
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x.invalid').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    requested.push(path);
    if (serveCertificate(request, response)) return;
    const name = path.startsWith('/fixtures/') ? path.slice('/fixtures/'.length) : '';
    if (files.has(name)) return void response.writeHead(200).end(fixture(name));
    const behave = BEHAVIOURS[path];
    if (behave) return behave(response);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: (path) => counts.get(path) ?? 0,
    requested: () => [...requested],
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Harness {
  server: CertServer;
  verifier: WebhookVerifier;
  /** Every URL the verifier fetched, in order. */
  fetched: string[];
  events: ReturnType<typeof createWebhookEventBuilders>;
  /** A sender signing with `key` (a fixture name) and pointing at `certificatePath` on the cert server. */
  sender(certificatePath?: string, key?: string, extra?: Partial<WebhookSenderOptions>): WebhookSender;
  verify(signed: SignedWebhook): ReturnType<WebhookVerifier['verify']>;
}

export type HarnessOptions = Partial<WebhookVerifierOptions> & { timeoutMs?: number };

/** Trusts the simulator CA; the allowed prefix is the whole cert server unless options say otherwise. */
export function createHarness(server: CertServer, options: HarnessOptions = {}): Harness {
  const fetched: string[] = [];
  const fetcher = createCertificateFetcher({ timeoutMs: options.timeoutMs ?? 1_000 });
  const verifier = createWebhookVerifier({
    token: TOKEN,
    certUrlPrefixes: [`${server.url}/`],
    trustedCaPem: fixtureText('simulator-ca.pem'),
    ...options,
    fetchCertificate: (url) => {
      fetched.push(url.href);
      return (options.fetchCertificate ?? fetcher)(url);
    },
  });
  return {
    server,
    verifier,
    fetched,
    events: createWebhookEventBuilders(),
    sender: (certificatePath = '/cert/simulator-signing.cer', key = 'simulator-signing.key.pem', extra = {}) =>
      createWebhookSender({ targetUrl: BOT_URL, signingKeyPem: fixtureText(key), certificateUrl: `${server.url}${certificatePath}`, ...extra }),
    verify: (signed) => verifier.verify(toRequest(signed)),
  };
}
