import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BotUnderTest } from '../../component/support/bot-under-test.ts';
import { observeStore } from './store-snapshot.ts';

/** What the ingress fuzzers share: bounded runs, request parts fetch can send, and the no-effect check. */
export const RUNS = { numRuns: 100 };
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'expect', 'upgrade', 'keep-alive', 'te', 'trailer', 'authorization', 'x-slack-signature', 'x-slack-request-timestamp']);

/** Header values fetch can send: printable ASCII, no CR/LF. */
export const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
export const extraHeaders = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((name) => !FORBIDDEN_HEADERS.has(name)), headerValue, { maxKeys: 4 });
export const contentType = fc.option(fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=utf-8', 'multipart/form-data; boundary=x', ''), { nil: undefined });
/** Bodies: bytes, text, any JSON, form fields, and JSON inside a `payload` field (Slack's interactivity shape). */
export const anyBody = fc.oneof(
  fc.uint8Array({ maxLength: 1500 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 500 }).map((text) => Buffer.from(text)),
  fc.json({ maxDepth: 4 }).map((text) => Buffer.from(text)),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 6 }).map((fields) => Buffer.from(new URLSearchParams(fields).toString())),
  fc.json({ maxDepth: 4 }).map((text) => Buffer.from(new URLSearchParams({ payload: text }).toString())),
);
/** Any JSON object with a few well-known keys mixed in, so parsers get past their first checks. */
export const objectWith = (keys: Record<string, fc.Arbitrary<unknown>>) =>
  fc.tuple(fc.record(keys, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 })).map(([known, extra]) => ({ ...extra, ...known }));

export async function post(url: string, body: Buffer, headers: Record<string, string | undefined>): Promise<number> {
  const sent = Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const send = async () => {
    const response = await fetch(url, { method: 'POST', body, headers: sent, redirect: 'manual' });
    await response.arrayBuffer();
    return response.status;
  };
  try {
    return await send();
  } catch (error) {
    // A kept-alive socket the server closed as idle just when fetch reused it: not an answer, so once more
    // on a fresh connection (a second reset is a real failure).
    if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
    return send();
  }
}

/** The three properties every ingress must keep, whatever arrives: an answer below 500 and, unless taken, no stored change. */
export async function assertNoEffect(
  harness: BotUnderTest,
  send: () => Promise<number>,
  options: { taken?: (status: number) => boolean; ignore?: string[]; acceptable?: (status: number) => boolean } = {},
): Promise<number> {
  const { result: status, changed, change } = await observeStore(harness.storeFile, send, options.ignore);
  assert.ok(status < 500 || options.acceptable?.(status), `answered ${status}`);
  assert.ok(!changed || options.taken?.(status), `status ${status}, yet the store changed: ${change}`);
  return status;
}

