/**
 * Verifies a Partner Center webhook before anything reads its body, in the order the domain notes
 * (partner-center.md §6) require: headers, token, certificate URL, certificate, then the RSA-SHA256
 * signature over the raw bytes. The token comes before any fetch so that only a caller who knows it can
 * make the bot download anything. Rejections carry fixed short reasons, safe for logs and metric labels;
 * nothing here logs, and the signature, token and body never leave this module.
 */
import { verify as verifySignature, type KeyObject, type X509Certificate } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { checkCertificate, createTrustAnchors, type CertificateProblem } from './certificate-checks.ts';
import { checkCertificateUrl, normaliseCertificateUrlPrefixes } from './certificate-url.ts';
import { CertificateFetchError, createCertificateFetcher, type FetchCertificate } from './fetch-certificate.ts';
import { createKeyCache, type KeyCache } from './key-cache.ts';
import { createTokenCheck, readSignedHeaders, type HeaderProblem, type TokenProblem } from './signed-request.ts';

export const DEFAULT_KEY_CACHE_SIZE = 32;
export const DEFAULT_KEY_CACHE_TTL_MS = 6 * 60 * 60 * 1000;

export interface WebhookVerifierOptions {
  token: string;
  certUrlPrefixes: string[];
  /** PEM bundle of extra anchors (PARTNER_CENTER_TRUSTED_CA_FILE's contents), on top of Node's root store. */
  trustedCaPem?: string;
  fetchCertificate?: (url: URL) => Promise<Buffer>;
  clock?: () => number;
  cacheSize?: number;
  cacheTtlMs?: number;
}

export interface WebhookRequest {
  rawBody: Buffer;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export type FetchProblem = 'certificate fetch timed out' | 'certificate too large' | 'certificate fetch failed';

export type WebhookRejectReason =
  | HeaderProblem['reason']
  | TokenProblem
  | 'certificate url not allowed'
  | FetchProblem
  | CertificateProblem
  | 'signature invalid'
  | 'verification error';

export type WebhookVerification = { ok: true } | { ok: false; status: 400 | 401; reason: WebhookRejectReason };

export interface WebhookVerifier {
  verify(request: WebhookRequest): Promise<WebhookVerification>;
}

const reject = (reason: WebhookRejectReason, status: 400 | 401 = 401): WebhookVerification => ({ ok: false, status, reason });

export function createWebhookVerifier(options: WebhookVerifierOptions): WebhookVerifier {
  // Configuration problems throw here, at start-up, never per request.
  const checkToken = createTokenCheck(options.token);
  const prefixes = normaliseCertificateUrlPrefixes(options.certUrlPrefixes);
  const keys = createKeyLoader({
    anchors: createTrustAnchors(options.trustedCaPem),
    fetchCertificate: options.fetchCertificate ?? createCertificateFetcher(),
    clock: options.clock ?? Date.now,
    cache: createKeyCache(options.cacheSize ?? DEFAULT_KEY_CACHE_SIZE),
    ttlMs: options.cacheTtlMs ?? DEFAULT_KEY_CACHE_TTL_MS,
  });

  async function verifyInOrder(request: WebhookRequest): Promise<WebhookVerification> {
    const headers = readSignedHeaders(request.headers);
    if ('reason' in headers) return reject(headers.reason, headers.status);
    const tokenProblem = checkToken(request.query);
    if (tokenProblem) return reject(tokenProblem);
    const url = checkCertificateUrl(headers.certificateUrl, prefixes);
    if (!url) return reject('certificate url not allowed');
    const key = await keys.load(url);
    if (typeof key === 'string') return reject(key);
    // PKCS#1 v1.5 is crypto.verify's default padding for an RSA key; the bytes are exactly as received.
    return verifySignature('RSA-SHA256', request.rawBody, key, headers.signature) ? { ok: true } : reject('signature invalid');
  }

  return {
    async verify(request) {
      try {
        return await verifyInOrder(request);
      } catch {
        // Fail closed: an unexpected throw (a malformed key, a Node quirk) is a rejection, never a 500.
        return reject('verification error');
      }
    },
  };
}

interface KeyLoaderOptions {
  anchors: readonly X509Certificate[];
  fetchCertificate: FetchCertificate;
  clock: () => number;
  cache: KeyCache;
  ttlMs: number;
}

type LoadedKey = KeyObject | FetchProblem | CertificateProblem;

/** Cache first; on a miss one fetch per URL at a time (a burst of deliveries shares it); failures are not cached. */
function createKeyLoader(options: KeyLoaderOptions): { load(url: URL): Promise<LoadedKey> } {
  const inFlight = new Map<string, Promise<LoadedKey>>();

  async function fetchAndCheck(href: string, url: URL): Promise<LoadedKey> {
    let body: Buffer;
    try {
      body = await options.fetchCertificate(url);
    } catch (error) {
      return toFetchProblem(error);
    }
    const now = options.clock();
    const accepted = checkCertificate(body, options.anchors, now);
    if (typeof accepted === 'string') return accepted;
    const usableUntil = Math.min(now + options.ttlMs, accepted.validTo);
    options.cache.set(href, { publicKey: accepted.publicKey, validFrom: accepted.validFrom, usableUntil });
    return accepted.publicKey;
  }

  return {
    load(url) {
      const href = url.href;
      const cached = options.cache.get(href, options.clock());
      if (cached) return Promise.resolve(cached);
      const pending = inFlight.get(href) ?? fetchAndCheck(href, url).finally(() => inFlight.delete(href));
      inFlight.set(href, pending);
      return pending;
    },
  };
}

function toFetchProblem(error: unknown): FetchProblem {
  if (error instanceof CertificateFetchError && error.kind === 'timeout') return 'certificate fetch timed out';
  if (error instanceof CertificateFetchError && error.kind === 'too-large') return 'certificate too large';
  return 'certificate fetch failed';
}
