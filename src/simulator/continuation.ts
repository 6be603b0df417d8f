/**
 * Continuation tokens for paged simulator collections: opaque to clients but stateless here — a signed
 * cursor, so a retried page works and a forged or edited token is refused (as Partner Center refuses one).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface ContinuationTokens {
  issue(payload: Record<string, unknown>): string;
  /** The payload, or undefined when the token was not issued here (tampered, truncated, made up). */
  read(token: string): Record<string, unknown> | undefined;
}

export function createContinuationTokens(): ContinuationTokens {
  const signingKey = randomBytes(32);
  const sign = (payload: string) => createHmac('sha256', signingKey).update(payload).digest('base64url').slice(0, 22);
  return {
    issue(payload) {
      const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${encoded}.${sign(encoded)}`;
    },
    read(token) {
      const [encoded = '', signature = ''] = token.split('.');
      const expected = Buffer.from(sign(encoded));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
        return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
