import assert from 'node:assert/strict';
import { checkCertificateUrl, isLoopbackHost, normaliseCertificateUrlPrefixes } from '../../../../src/integrations/partner-center/webhook/certificate-url.ts';
import { PRODUCTION_CERT_PREFIX as PRODUCTION, REFUSED_CERTIFICATE_URLS } from '../../../support/webhook-certificate-variants.ts';
import { createHarness, CUSTOMER, startCertServer, type CertServer, type Harness } from './support.ts';

describe('webhook verifier: certificate URL allow-list', () => {
  let server: CertServer;
  let harness: Harness;
  before(async () => {
    server = await startCertServer();
  });
  after(() => server.stop());
  beforeEach(() => {
    // The production prefix plus the loopback cert server's /cert/ folder; a fetch of anything is counted.
    harness = createHarness(server, { certUrlPrefixes: [PRODUCTION, `${server.url}/cert/`] });
  });

  async function verdictFor(certificateUrl: string) {
    const signed = harness.sender().sign(harness.events.resellerRelationshipAccepted(CUSTOMER));
    return harness.verify({ ...signed, headers: { ...signed.headers, 'x-ms-certificate-url': certificateUrl } });
  }

  for (const [when, url] of REFUSED_CERTIFICATE_URLS) {
    it(`when the certificate URL has ${when}, then 401 without any fetch`, async () => {
      assert.deepEqual(await verdictFor(url), { ok: false, status: 401, reason: 'certificate url not allowed' });
      assert.deepEqual(harness.fetched, []);
    });
  }

  it('when the loopback server is outside the allowed folder, then 401 without any fetch', async () => {
    assert.deepEqual(await verdictFor(`${server.url}/fixtures/simulator-signing.cer`), { ok: false, status: 401, reason: 'certificate url not allowed' });
    assert.deepEqual(harness.fetched, []);
  });

  it('when the URL is under the loopback prefix over http, then it is fetched and accepted', async () => {
    assert.deepEqual(await verdictFor(`${server.url}/cert/simulator-signing.cer`), { ok: true });
    assert.equal(server.hits('/cert/simulator-signing.cer'), 1);
  });
});

describe('certificate URL rules (pure)', () => {
  const prefixes = normaliseCertificateUrlPrefixes([PRODUCTION, 'http://localhost:3979/cert/', 'http://[::1]:4000/cert/']);

  it('when the URL is the documented shape, then it passes, also with upper-case host or an explicit :443', () => {
    assert.equal(checkCertificateUrl(`${PRODUCTION}partnercenter.cer`, prefixes)?.href, `${PRODUCTION}partnercenter.cer`);
    assert.ok(checkCertificateUrl('HTTPS://3PSOSTORAGEACCT.blob.core.windows.net/cert/a/b-c_d.1.cer', prefixes));
    assert.ok(checkCertificateUrl('https://3psostorageacct.blob.core.windows.net:443/cert/x.cer', prefixes));
  });

  it('when the host is localhost or [::1] over http with a port, then it passes', () => {
    assert.ok(checkCertificateUrl('http://localhost:3979/cert/simulator-signing.cer', prefixes));
    assert.ok(checkCertificateUrl('http://[::1]:4000/cert/simulator-signing.cer', prefixes));
  });

  it('when a header is very long, then it is refused before parsing', () => {
    assert.equal(checkCertificateUrl(`${PRODUCTION}${'a'.repeat(3000)}.cer`, prefixes), undefined);
  });

  it('recognises loopback hosts and nothing else', () => {
    for (const host of ['localhost', '127.0.0.1', '127.255.0.9', '[::1]']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['localhost.evil.example', '128.0.0.1', '10.0.0.1', '[::2]', '0.0.0.0', '127.0.0.1.nip.io']) assert.ok(!isLoopbackHost(host), host);
  });

  const badPrefixes = [
    'http://3psostorageacct.blob.core.windows.net/cert/',
    'https://3psostorageacct.blob.core.windows.net/cert',
    'https://3psostorageacct.blob.core.windows.net:8443/cert/',
    'https://user@3psostorageacct.blob.core.windows.net/cert/',
    'https://3psostorageacct.blob.core.windows.net/cert/?x=1/',
    'not a url',
  ];
  for (const prefix of badPrefixes) {
    it(`when the configured prefix is ${prefix}, then configuration fails`, () => {
      assert.throws(() => normaliseCertificateUrlPrefixes([prefix]), /PARTNER_CENTER_CERT_URL_PREFIXES/);
    });
  }

  it('when no prefix is configured, then configuration fails', () => {
    assert.throws(() => normaliseCertificateUrlPrefixes([]), /at least one prefix/);
  });
});
