/**
 * Reads what Partner Center puts on a webhook request: the signature (`Authorization: Signature …` or
 * `x-ms-signature: Signature …`), the certificate URL and algorithm headers, and the `token` query
 * parameter. Each problem maps to the status the domain notes require (401 or 400).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type HeaderProblem =
  | { status: 401; reason: 'signature missing' }
  | { status: 400; reason: 'certificate url missing' | 'algorithm missing' | 'algorithm not supported' };

export interface SignedHeaders {
  signature: Buffer;
  certificateUrl: string;
}

const SIGNATURE = /^Signature ([A-Za-z0-9+/]+={0,2})$/i;
/** Base64 of a 4096-bit RSA signature is 684 characters; anything longer is not a signature. */
const MAX_SIGNATURE_CHARS = 1024;

/** Repeated headers arrive as arrays (or comma-joined): ambiguous, so treated as absent. */
function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function decodeSignature(value: string | undefined): Buffer | undefined {
  if (value === undefined || value.length > MAX_SIGNATURE_CHARS) return undefined;
  const base64 = SIGNATURE.exec(value)?.[1];
  if (base64 === undefined || base64.length % 4 !== 0) return undefined;
  return Buffer.from(base64, 'base64');
}

/** Step 1 of the domain notes, in order: signature (401), then certificate URL and algorithm (400). */
export function readSignedHeaders(headers: IncomingHttpHeaders): SignedHeaders | HeaderProblem {
  const signature = decodeSignature(single(headers, 'authorization')) ?? decodeSignature(single(headers, 'x-ms-signature'));
  if (!signature) return { status: 401, reason: 'signature missing' };
  const certificateUrl = single(headers, 'x-ms-certificate-url');
  if (certificateUrl === undefined) return { status: 400, reason: 'certificate url missing' };
  const algorithm = single(headers, 'x-ms-signature-algorithm');
  if (algorithm === undefined) return { status: 400, reason: 'algorithm missing' };
  if (algorithm.trim().toLowerCase() !== 'rsa-sha256') return { status: 400, reason: 'algorithm not supported' };
  return { signature, certificateUrl };
}

export type TokenProblem = 'token missing' | 'token invalid';

/** Digests of equal length make the comparison constant-time whatever the presented token's length. */
export function createTokenCheck(expected: string): (query: URLSearchParams) => TokenProblem | undefined {
  if (expected === '') throw new Error('PARTNER_CENTER_WEBHOOK_TOKEN: an empty token would accept any request');
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  const expectedDigest = digest(expected);
  return (query) => {
    const presented = query.getAll('token');
    if (presented.length === 0 || presented[0] === '') return 'token missing';
    if (presented.length > 1) return 'token invalid';
    return timingSafeEqual(digest(presented[0] ?? ''), expectedDigest) ? undefined : 'token invalid';
  };
}
