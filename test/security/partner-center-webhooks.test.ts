import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders, signWebhookBody, type SignedWebhook } from '../../src/simulator/webhooks/index.ts';
import { fixtureText } from '../unit/integrations/webhook/support.ts';
import { PRODUCTION_CERT_PREFIX, REFUSED_CERTIFICATE_URLS, UNTRUSTED_CERTIFICATES } from '../support/webhook-certificate-variants.ts';
import { CERT_FOLDERS, startLiveBot, type LiveBot } from './support/live-bot.ts';
import { assertStoreUnchanged, observeStore } from './support/store-snapshot.ts';

const events = createWebhookEventBuilders();

function normalise(url: string): string {
  try {
    return new URL(url.trim()).href;
  } catch {
    return url;
  }
}
const accepted = () => events.resellerRelationshipAccepted(SAMPLE_CUSTOMERS[0]!.id);

/** Each way a delivery's headers, token or body can be wrong (domain/partner-center.md), and the status prescribed. */
type Change = (signed: SignedWebhook, bot: LiveBot) => SignedWebhook;
const setHeader = (signed: SignedWebhook, name: string, value: string | undefined): SignedWebhook => {
  const headers = { ...signed.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...signed, headers };
};
const resign = (signed: SignedWebhook, body: Buffer): SignedWebhook =>
  setHeader({ ...signed, body }, 'authorization', `Signature ${signWebhookBody(body, fixtureText('simulator-signing.key.pem'))}`);

const HEADER_VARIANTS: Array<{ when: string; status: number; change: Change }> = [
  { when: 'the signature covers other bytes', status: 401, change: (s) => ({ ...s, body: Buffer.from(s.body.toString('utf8').replace('Customer', 'Kunde')) }) },
  { when: 'there is no signature', status: 401, change: (s) => setHeader(s, 'authorization', undefined) },
  { when: 'the signature is not base64 of anything', status: 401, change: (s) => setHeader(s, 'authorization', 'Signature %%%') },
  { when: 'the signature scheme is Bearer', status: 401, change: (s) => setHeader(s, 'authorization', s.headers.authorization!.replace('Signature', 'Bearer')) },
  { when: 'the signature is signed by a key whose certificate is elsewhere', status: 401, change: (s) => setHeader(s, 'authorization', `Signature ${signWebhookBody(s.body, fixtureText('other-signing.key.pem'))}`) },
  { when: 'there is no certificate URL', status: 400, change: (s) => setHeader(s, 'x-ms-certificate-url', undefined) },
  { when: 'there is no algorithm', status: 400, change: (s) => setHeader(s, 'x-ms-signature-algorithm', undefined) },
  { when: 'the algorithm is rsa-sha1', status: 400, change: (s) => setHeader(s, 'x-ms-signature-algorithm', 'rsa-sha1') },
  { when: 'the algorithm is hmac-sha256', status: 400, change: (s) => setHeader(s, 'x-ms-signature-algorithm', 'hmac-sha256') },
  { when: 'the token is wrong', status: 401, change: (s) => ({ ...s, url: s.url.replace(/token=[^&]*/, 'token=not-the-token') }) },
  { when: 'the token is missing', status: 401, change: (s) => ({ ...s, url: s.url.replace(/\?token=[^&]*/, '') }) },
  { when: 'the token is given twice, once wrong', status: 401, change: (s) => ({ ...s, url: `${s.url}&token=not-the-token` }) },
  { when: 'the certificate URL redirects (to the right certificate)', status: 401, change: (s, bot) => setHeader(s, 'x-ms-certificate-url', `${bot.certServer.url}/redirect/x.cer`) },
  { when: 'the body is not JSON (signed)', status: 400, change: (s) => resign(s, Buffer.from('this is not json')) },
  { when: 'the body is a JSON array (signed)', status: 400, change: (s) => resign(s, Buffer.from('[1,2,3]')) },
];

describe('security: Partner Center webhooks, every certificate-URL and header variant through the real server', function () {
  this.timeout(60_000);
  let bot: LiveBot;

  before(async () => {
    bot = await startLiveBot();
    assert.equal(await bot.slackCommand('subscribe all'), 200);
    await bot.harness.slack.waitForCalls('chat.postMessage', 1);
  });
  after(() => bot.stop());

  /** Delivers, and proves that a refusal stored nothing, posted nothing and fetched only what it was allowed to. */
  async function assertRefused(signed: SignedWebhook, status: number): Promise<void> {
    const chatCalls = bot.harness.slack.calls.length + bot.harness.connector.calls.length;
    assert.equal(await assertStoreUnchanged(bot.harness.storeFile, () => bot.postWebhook(signed)), status);
    assert.equal(bot.harness.slack.calls.length + bot.harness.connector.calls.length, chatCalls, 'no chat call');
  }

  const fetchedOutsideFolders = () => bot.certServer.requested().filter((path) => !CERT_FOLDERS.some((folder) => path.startsWith(folder)));

  for (const { when, status, change } of HEADER_VARIANTS) {
    it(`when ${when}, then ${status} and nothing is stored`, () => assertRefused(change(bot.signWebhook(accepted()), bot), status));
  }

  it('when the certificate URL redirects, then the redirect is not followed', async () => {
    const before = bot.certServer.hits('/cert/simulator-signing.cer');
    await assertRefused(setHeader(bot.signWebhook(accepted()), 'x-ms-certificate-url', `${bot.certServer.url}/redirect/x.cer`), 401);
    assert.equal(bot.certServer.hits('/cert/simulator-signing.cer'), before);
  });

  for (const [when, url] of REFUSED_CERTIFICATE_URLS) {
    it(`when the certificate URL has ${when}, then 401 without any fetch and nothing is stored`, async () => {
      const fetched = bot.certServer.requested().length;
      await assertRefused(setHeader(bot.signWebhook(accepted()), 'x-ms-certificate-url', url), 401);
      assert.equal(bot.certServer.requested().length, fetched);
    });
  }

  for (const [when, certificate, key] of UNTRUSTED_CERTIFICATES) {
    it(`when the certificate is ${when}, then 401 and nothing is stored`, () => assertRefused(bot.signWebhook(accepted(), { certificate: `/fixtures/${certificate}`, key }), 401));
  }

  it('when a body over 256 KiB arrives, then 413 before anything is checked, and nothing is stored', async () => {
    const signed = bot.signWebhook(accepted());
    await assertRefused({ ...signed, body: Buffer.alloc(300 * 1024, 'a') }, 413);
  });

  it('when a random certificate URL is not exactly an allowed one, then 401, nothing is stored and nothing outside the allowed folders is fetched (property)', async () => {
    const signed = bot.signWebhook(accepted());
    const loopback = bot.certServer.url;
    const host = new URL(loopback).host;
    const prefix = fc.constantFrom(PRODUCTION_CERT_PREFIX, `${loopback}/cert/`, `${loopback}/fixtures/`, `https://${host}/cert/`, `http://localhost:${new URL(loopback).port}/cert/`);
    const trick = fc.constantFrom('', '..', '%2e%2e', '%2f', '%2F', '%5c', '\\', '//', '@', 'user:pw@', ':80', ':443', '?x=1', '#f', '%00', '\t', ' ', '%E2%88%95', '%252e', '.', 'redirect/');
    const name = fc.stringMatching(/^[A-Za-z0-9._%@:/?#\\-]{0,24}$/);
    const suffix = fc.constantFrom('.cer', '.CER', '.cer.', '.pem', '', '.cer?', '.cer#');
    const mutated = fc.tuple(prefix, trick, name, trick, suffix).map(([p, a, n, b, s]) => `${p}${a}${n}${b}${s}`);
    const schemeHost = fc
      .tuple(fc.constantFrom('http://', 'https://', 'HTTP://', 'ftp://', 'file://', '//', ''), fc.constantFrom(host, `127.0.0.1`, '127.0.0.2', '[::1]', '3psostorageacct.blob.core.windows.net', 'evil.example', `${host}.evil.example`, `evil.example@${host}`), fc.constantFrom('/cert/x.cer', '/fixtures/simulator-signing.cer', '/x.cer', ''))
      .map(([scheme, h, path]) => `${scheme}${h}${path}`);
    // Well-formed names under the allowed folders: fetched, then refused (missing, untrusted or a redirect).
    const plausible = fc
      .tuple(fc.constantFrom(...CERT_FOLDERS), fc.constantFrom('x', 'other-signing', 'self-signed', 'expired-signing', 'leaf-signed-by-leaf', 'ec-signing', 'wrong-org-signing'))
      .map(([folder, name]) => `${loopback}${folder}${name}.cer`);
    const fetchedBefore = bot.certServer.requested().length;
    const exactlyAllowed = new Set([`${loopback}/cert/simulator-signing.cer`, `${loopback}/fixtures/simulator-signing.cer`, `${loopback}/fixtures/simulator-chained-signing.cer`]);
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, schemeHost, fc.webUrl(), plausible), async (url) => {
        // A spelling of an allowed URL (upper-case scheme, default port) is that URL: skip it, as fetch would trim it.
        fc.pre(!exactlyAllowed.has(normalise(url)) && !/[\r\n]/.test(url));
        await assertRefused(setHeader(signed, 'x-ms-certificate-url', url), 401);
      }),
      { numRuns: 150 },
    );
    assert.ok(bot.certServer.requested().length > fetchedBefore, 'some runs reached the certificate fetch');
    assert.deepEqual(fetchedOutsideFolders(), []);
  });

  it('when the same delivery is done right (either signature header), then it is taken (so the refusals above fail for their own reason)', async () => {
    const signed = bot.signWebhook(events.resellerRelationshipAccepted(SAMPLE_CUSTOMERS[1]!.id));
    const viaMsSignature = setHeader(setHeader(signed, 'authorization', undefined), 'x-ms-signature', signed.headers.authorization);
    const { result: statuses, changed } = await observeStore(bot.harness.storeFile, async () => [await bot.postWebhook(bot.signWebhook(accepted())), await bot.postWebhook(viaMsSignature)]);
    assert.deepEqual(statuses, [200, 200]);
    const counts = await bot.harness.bot.store.outbox.counts();
    assert.equal(counts.pending + counts.sending + counts.done + counts.dead, 2, 'one notification per event for the subscribed channel');
    assert.ok(changed);
  });
});
