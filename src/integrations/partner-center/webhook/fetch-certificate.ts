/**
 * Downloads the signing certificate with node:http(s) directly: Node's clients never follow redirects
 * (a 3xx would let an allowed host bounce us anywhere), the whole exchange has one deadline (a server
 * dripping bytes cannot hold a request open), and the body is capped while it streams.
 */
import http from 'node:http';
import https from 'node:https';

export const DEFAULT_CERTIFICATE_TIMEOUT_MS = 5_000;
export const DEFAULT_CERTIFICATE_MAX_BYTES = 16 * 1024;

export type CertificateFetchFailure = 'timeout' | 'too-large' | 'status' | 'network';

export class CertificateFetchError extends Error {
  constructor(readonly kind: CertificateFetchFailure, options?: { cause?: unknown }) {
    super(`certificate fetch failed: ${kind}`, options);
    this.name = 'CertificateFetchError';
  }
}

export interface CertificateFetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
}

export type FetchCertificate = (url: URL) => Promise<Buffer>;

export function createCertificateFetcher(options: CertificateFetchOptions = {}): FetchCertificate {
  const limits = {
    timeoutMs: options.timeoutMs ?? DEFAULT_CERTIFICATE_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? DEFAULT_CERTIFICATE_MAX_BYTES,
  };
  return (url) => fetchOnce(url, limits);
}

function fetchOnce(url: URL, limits: Required<CertificateFetchOptions>): Promise<Buffer> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return Promise.reject(new CertificateFetchError('network'));
  return new Promise((resolve, reject) => {
    let settled = false;
    // One exit for every outcome: clears the deadline and tears the socket down exactly once.
    const settle = (outcome: Buffer | CertificateFetchError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.destroy();
      if (outcome instanceof CertificateFetchError) reject(outcome);
      else resolve(outcome);
    };
    const client = url.protocol === 'https:' ? https : http;
    // agent: false → a fresh connection per fetch; these happen once per certificate per few hours.
    const request = client.get(url, { agent: false, headers: { accept: 'application/pkix-cert, */*' } }, (response) =>
      readCapped(response, limits.maxBytes, settle),
    );
    const deadline = setTimeout(() => settle(new CertificateFetchError('timeout')), limits.timeoutMs);
    request.once('error', (error) => settle(new CertificateFetchError('network', { cause: error })));
  });
}

function readCapped(response: http.IncomingMessage, maxBytes: number, settle: (outcome: Buffer | CertificateFetchError) => void): void {
  // Anything but 200 fails, 3xx included: the redirect target was never checked against the allow-list.
  if (response.statusCode !== 200) return settle(new CertificateFetchError('status'));
  if (Number(response.headers['content-length'] ?? 0) > maxBytes) return settle(new CertificateFetchError('too-large'));
  const chunks: Buffer[] = [];
  let size = 0;
  response.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) return settle(new CertificateFetchError('too-large'));
    chunks.push(chunk);
  });
  response.once('end', () => settle(Buffer.concat(chunks)));
  response.once('error', (error) => settle(new CertificateFetchError('network', { cause: error })));
}
