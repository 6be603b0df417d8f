import assert from 'node:assert/strict';
import { createWebhookVerifier } from '../../../../src/integrations/partner-center/webhook/verify-webhook.ts';
import type { SignedWebhook } from '../../../../src/simulator/webhooks/webhook-sender.ts';
import { createHarness, CUSTOMER, fixtureText, startCertServer, TOKEN, toRequest, type CertServer, type Harness } from './support.ts';

/** A copy of a signed request with some headers replaced (undefined removes one). */
function withHeaders(signed: SignedWebhook, changes: Record<string, string | undefined>): SignedWebhook {
  const headers = { ...signed.headers };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { ...signed, headers };
}

describe('webhook verifier: requests signed by the simulator sender', () => {
  let server: CertServer;
  let harness: Harness;
  let signed: SignedWebhook;
  before(async () => {
    server = await startCertServer();
  });
  after(() => server.stop());
  beforeEach(() => {
    harness = createHarness(server);
    signed = harness.sender().sign(harness.events.resellerRelationshipAccepted(CUSTOMER));
  });

  it('when the request is exactly as sent, then it is accepted', async () => {
    assert.deepEqual(await harness.verify(signed), { ok: true });
    assert.deepEqual(harness.fetched, [`${server.url}/cert/simulator-signing.cer`]);
  });

  it('when the signature comes in x-ms-signature instead of Authorization, then it is accepted', async () => {
    const variant = harness.sender(undefined, undefined, { signatureHeader: 'x-ms-signature' }).sign(harness.events.dapTerminated());
    assert.equal(variant.headers.authorization, undefined);
    assert.deepEqual(await harness.verify(variant), { ok: true });
  });

  it('when the algorithm header differs only in case, then it is accepted', async () => {
    assert.deepEqual(await harness.verify(withHeaders(signed, { 'x-ms-signature-algorithm': 'RSA-SHA256' })), { ok: true });
  });

  const rejections: Array<[string, Record<string, string | undefined>, 400 | 401, string]> = [
    ['the signature is missing', { authorization: undefined }, 401, 'signature missing'],
    ['the Authorization header is a bearer token', { authorization: 'Bearer abc' }, 401, 'signature missing'],
    ['the signature is not base64', { authorization: 'Signature not*base64' }, 401, 'signature missing'],
    ['the certificate URL header is missing', { 'x-ms-certificate-url': undefined }, 400, 'certificate url missing'],
    ['the algorithm header is missing', { 'x-ms-signature-algorithm': undefined }, 400, 'algorithm missing'],
    ['the algorithm is rsa-sha1', { 'x-ms-signature-algorithm': 'rsa-sha1' }, 400, 'algorithm not supported'],
  ];
  for (const [when, changes, status, reason] of rejections) {
    it(`when ${when}, then ${status} '${reason}' without fetching`, async () => {
      assert.deepEqual(await harness.verify(withHeaders(signed, changes)), { ok: false, status, reason });
      assert.deepEqual(harness.fetched, []);
    });
  }

  it('when the signature is missing and the other headers too, then the signature is reported first (401)', async () => {
    const bare = withHeaders(signed, { authorization: undefined, 'x-ms-certificate-url': undefined, 'x-ms-signature-algorithm': undefined });
    assert.deepEqual(await harness.verify(bare), { ok: false, status: 401, reason: 'signature missing' });
  });

  const tokens: Array<[string, string, string]> = [
    ['wrong', '?token=wrong-token', 'token invalid'],
    ['a prefix of the right one', `?token=${TOKEN.slice(0, -1)}`, 'token invalid'],
    ['given twice', `?token=${TOKEN}&token=${TOKEN}`, 'token invalid'],
    ['missing', '', 'token missing'],
    ['empty', '?token=', 'token missing'],
  ];
  for (const [when, search, reason] of tokens) {
    it(`when the token is ${when}, then 401 '${reason}' without fetching`, async () => {
      const url = `https://bot.example.com/api/partner-center/webhook${search}`;
      assert.deepEqual(await harness.verify({ ...signed, url }), { ok: false, status: 401, reason });
      assert.deepEqual(harness.fetched, []);
    });
  }

  it('when the algorithm is wrong and the token too, then the algorithm is reported first (400)', async () => {
    const both = { ...withHeaders(signed, { 'x-ms-signature-algorithm': 'hmac-sha256' }), url: 'https://bot.example.com/hook?token=x' };
    assert.deepEqual(await harness.verify(both), { ok: false, status: 400, reason: 'algorithm not supported' });
  });

  it('when one byte of the body changes, then 401 signature invalid', async () => {
    const body = Buffer.from(signed.body);
    body[body.length - 2] = (body[body.length - 2] ?? 0) ^ 0x01;
    assert.deepEqual(await harness.verify({ ...signed, body }), { ok: false, status: 401, reason: 'signature invalid' });
  });

  it('when the body is re-serialised (same JSON, different bytes), then 401: only the raw bytes count', async () => {
    const body = Buffer.from(JSON.stringify(JSON.parse(signed.body.toString('utf8')), null, 1));
    assert.equal((await harness.verify({ ...signed, body })).ok, false);
  });

  it('when the signature belongs to another body, then 401 signature invalid', async () => {
    const other = harness.sender().sign(harness.events.dapApproved());
    const swapped = withHeaders(signed, { authorization: other.headers.authorization });
    assert.deepEqual(await harness.verify(swapped), { ok: false, status: 401, reason: 'signature invalid' });
  });

  it('when the body is signed with a different key than the certificate, then 401 signature invalid', async () => {
    const forged = harness.sender('/cert/simulator-signing.cer', 'other-signing.key.pem').sign(harness.events.dapApproved());
    assert.deepEqual(await harness.verify(forged), { ok: false, status: 401, reason: 'signature invalid' });
  });

  it('when rejecting, then the result never contains the token or the signature', async () => {
    const results = await Promise.all([
      harness.verify({ ...signed, url: 'https://bot.example.com/hook?token=wrong' }),
      harness.verify({ ...signed, body: Buffer.from('{}') }),
    ]);
    const text = JSON.stringify(results);
    assert.ok(!text.includes(TOKEN) && !text.includes(signed.headers.authorization?.slice(10, 40) ?? '?'));
  });

  it('when repeated headers arrive as arrays, then the signature counts as missing', async () => {
    const request = toRequest(signed);
    const headers = { ...request.headers, authorization: undefined, 'x-ms-signature': [request.headers.authorization ?? '', 'x'] };
    assert.deepEqual(await harness.verifier.verify({ ...request, headers }), { ok: false, status: 401, reason: 'signature missing' });
  });
});

describe('webhook verifier: configuration', () => {
  const base = { token: TOKEN, certUrlPrefixes: ['https://3psostorageacct.blob.core.windows.net/cert/'] };

  it('when the token is empty, then creating the verifier throws', () => {
    assert.throws(() => createWebhookVerifier({ ...base, token: '' }), /PARTNER_CENTER_WEBHOOK_TOKEN/);
  });

  it('when the trusted CA file holds no certificate, then creating the verifier throws', () => {
    assert.throws(() => createWebhookVerifier({ ...base, trustedCaPem: 'not a pem' }), /PARTNER_CENTER_TRUSTED_CA_FILE/);
  });

  it('when the trusted CA file holds a broken certificate block, then creating the verifier throws', () => {
    assert.throws(() => createWebhookVerifier({ ...base, trustedCaPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }));
  });

  it('when only the defaults are given, then the verifier is created with the real prefix and Node roots', () => {
    assert.ok(createWebhookVerifier(base));
    assert.ok(createWebhookVerifier({ ...base, trustedCaPem: fixtureText('simulator-ca.pem') }));
  });

  it('when something unexpected throws inside, then it fails closed with 401 verification error', async () => {
    const verifier = createWebhookVerifier(base);
    const broken = { rawBody: Buffer.from('{}'), query: undefined as unknown as URLSearchParams, headers: { authorization: 'Signature AAAA', 'x-ms-certificate-url': 'x', 'x-ms-signature-algorithm': 'rsa-sha256' } };
    assert.deepEqual(await verifier.verify(broken), { ok: false, status: 401, reason: 'verification error' });
  });

  it('when a fetcher throws something unexpected, then the answer is 401 certificate fetch failed', async () => {
    const verifier = createWebhookVerifier({ ...base, fetchCertificate: () => Promise.reject(new Error('boom')) });
    const request = {
      rawBody: Buffer.from('{}'),
      query: new URLSearchParams({ token: TOKEN }),
      headers: { authorization: 'Signature AAAA', 'x-ms-certificate-url': `${base.certUrlPrefixes[0]}x.cer`, 'x-ms-signature-algorithm': 'rsa-sha256' },
    };
    assert.deepEqual(await verifier.verify(request), { ok: false, status: 401, reason: 'certificate fetch failed' });
  });
});
