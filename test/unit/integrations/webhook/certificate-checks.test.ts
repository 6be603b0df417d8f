import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { UNTRUSTED_CERTIFICATES } from '../../../support/webhook-certificate-variants.ts';
import { createHarness, CUSTOMER, fixture, fixtureText, startCertServer, type CertServer, type HarnessOptions } from './support.ts';

describe('webhook verifier: certificate checks', () => {
  let server: CertServer;
  before(async () => {
    server = await startCertServer();
  });
  after(() => server.stop());

  /** Signs with `key`, points at fixture `certificate`, and returns the verdict. */
  async function verdict(certificate: string, key = 'simulator-signing.key.pem', options: HarnessOptions = {}) {
    const harness = createHarness(server, options);
    const signed = harness.sender(`/fixtures/${certificate}`, key).sign(harness.events.resellerRelationshipAccepted(CUSTOMER));
    return harness.verify(signed);
  }

  it('when the leaf is DER and signed by the trusted simulator CA, then it is accepted', async () => {
    assert.deepEqual(await verdict('simulator-signing.cer'), { ok: true });
  });

  it('when the body is PEM with leaf and intermediate, then the chain through one intermediate is accepted', async () => {
    assert.deepEqual(await verdict('simulator-chained-signing.cer'), { ok: true });
  });

  it('when the intermediate itself is in the trusted file, then a PEM leaf alone is enough', async () => {
    const leafOnly = new X509Certificate(fixture('simulator-chained-signing.cer'));
    const trustedCaPem = fixtureText('simulator-intermediate-ca.pem');
    const harness = createHarness(server, { trustedCaPem, fetchCertificate: () => Promise.resolve(Buffer.from(leafOnly.toString())) });
    const signed = harness.sender('/cert/any.cer').sign(harness.events.dapApproved());
    assert.deepEqual(await harness.verify(signed), { ok: true });
  });

  it('when no trusted CA file is configured, then the simulator certificate is not trusted (Node roots only)', async () => {
    const harness = createHarness(server, { trustedCaPem: undefined });
    const signed = harness.sender().sign(harness.events.dapApproved());
    assert.deepEqual(await harness.verify(signed), { ok: false, status: 401, reason: 'certificate not trusted' });
  });

  for (const [when, certificate, key, reason] of UNTRUSTED_CERTIFICATES) {
    it(`when the certificate is ${when}, then 401 '${reason}'`, async () => {
      assert.deepEqual(await verdict(certificate, key), { ok: false, status: 401, reason });
    });
  }

  it('when the issuer organisation is not Microsoft (even from a trusted CA), then 401 organisation mismatch', async () => {
    const trustedCaPem = fixtureText('simulator-ca.pem') + fixtureText('foreign-ca.pem');
    assert.deepEqual(await verdict('foreign-issuer-signing.cer', undefined, { trustedCaPem }), { ok: false, status: 401, reason: 'certificate organisation mismatch' });
  });

  it('when the clock is past the leaf validTo, then 401 certificate expired', async () => {
    const validTo = Date.parse(new X509Certificate(fixture('simulator-signing.cer')).validTo);
    assert.deepEqual(await verdict('simulator-signing.cer', undefined, { clock: () => validTo + 1000 }), { ok: false, status: 401, reason: 'certificate expired' });
  });

  it('when the clock is before the leaf validFrom, then 401 certificate not yet valid', async () => {
    const validFrom = Date.parse(new X509Certificate(fixture('simulator-signing.cer')).validFrom);
    assert.deepEqual(await verdict('simulator-signing.cer', undefined, { clock: () => validFrom - 1000 }), { ok: false, status: 401, reason: 'certificate not yet valid' });
  });

  it('when the server sends bytes that are not a certificate, then 401 certificate unreadable', async () => {
    for (const path of ['/garbage/x.cer', '/pem-garbage/x.cer']) {
      const harness = createHarness(server);
      const signed = harness.sender(path).sign(harness.events.dapApproved());
      assert.deepEqual(await harness.verify(signed), { ok: false, status: 401, reason: 'certificate unreadable' }, path);
    }
  });

  it('when a PEM body carries more than four certificates, then 401 certificate unreadable', async () => {
    const pem = new X509Certificate(fixture('simulator-signing.cer')).toString().repeat(5);
    const harness = createHarness(server, { fetchCertificate: () => Promise.resolve(Buffer.from(pem)) });
    const signed = harness.sender('/cert/x.cer').sign(harness.events.dapApproved());
    assert.deepEqual(await harness.verify(signed), { ok: false, status: 401, reason: 'certificate unreadable' });
  });
});
