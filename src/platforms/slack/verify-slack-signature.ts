import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window. Bolt rejects only old timestamps; we reject future ones too. */
export const SLACK_TIMESTAMP_WINDOW_SECONDS = 300;

export interface SlackSignatureInput {
  signingSecret: string;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
  nowSeconds: number;
}

/** HMAC-SHA256 over `v0:{timestamp}:{raw body}`, compared in constant time, timestamp within ±300 s. */
export function isSlackSignatureValid(input: SlackSignatureInput): boolean {
  const { signature, timestamp } = input;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(input.nowSeconds - Number(timestamp)) > SLACK_TIMESTAMP_WINDOW_SECONDS) return false;
  const hmac = createHmac('sha256', input.signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(input.rawBody);
  const expected = Buffer.from(`v0=${hmac.digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
