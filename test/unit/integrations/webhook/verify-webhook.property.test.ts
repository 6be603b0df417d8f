import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkCertificateUrl, normaliseCertificateUrlPrefixes } from '../../../../src/integrations/partner-center/webhook/certificate-url.ts';
import { createWebhookVerifier } from '../../../../src/integrations/partner-center/webhook/verify-webhook.ts';
import { fixture, fixtureText, TOKEN } from './support.ts';

const PREFIXES = ['https://3psostorageacct.blob.core.windows.net/cert/', 'http://127.0.0.1:3979/cert/'];
const normalised = normaliseCertificateUrlPrefixes(PREFIXES);

/** Strings that look like URLs often enough to reach the interesting branches. */
const urlish = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .tuple(fc.constantFrom(...PREFIXES, 'https://3psostorageacct.blob.core.windows.net', 'http://localhost/cert/', 'https://evil.example/'), fc.string({ maxLength: 40 }), fc.constantFrom('.cer', '.CER', '', '.cer?', '.cer#x'))
    .map(([prefix, middle, suffix]) => `${prefix}${middle}${suffix}`),
);

const segment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,15}$/).filter((name) => !name.includes('..') && !name.endsWith('.'));

describe('webhook verifier: properties', () => {
  it('an arbitrary certificate URL never throws and is accepted only under an allowed prefix, by the rules', () => {
    fc.assert(
      fc.property(urlish, (raw) => {
        const url = checkCertificateUrl(raw, normalised);
        if (!url) return;
        assert.ok(normalised.some((prefix) => url.href.startsWith(prefix)), raw);
        assert.ok(url.href.endsWith('.cer'), raw);
        assert.ok(!/[?#@\\]|\.\.|%/.test(raw), raw);
        assert.equal(url.username + url.password + url.search + url.hash, '');
        assert.ok(url.protocol === 'https:' ? url.port === '' : url.hostname === '127.0.0.1', raw);
      }),
      { numRuns: 2000 },
    );
  });

  it('any plain file name under an allowed prefix is accepted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PREFIXES), fc.array(segment, { maxLength: 3 }), segment, (prefix, folders, name) => {
        const raw = `${prefix}${[...folders, name].join('/')}.cer`;
        assert.equal(checkCertificateUrl(raw, normalised)?.href, raw);
      }),
    );
  });

  it('arbitrary headers, query and body never make verify throw, and nothing is fetched outside the prefixes', async () => {
    const fetched: string[] = [];
    const verifier = createWebhookVerifier({
      token: TOKEN,
      certUrlPrefixes: PREFIXES,
      trustedCaPem: fixtureText('simulator-ca.pem'),
      fetchCertificate: (url) => {
        fetched.push(url.href);
        return Promise.resolve(fixture('simulator-signing.cer'));
      },
    });
    // Each header is either well-formed or arbitrary, so runs reach every step up to the RSA check.
    const signature = fc.oneof(fc.base64String({ minLength: 4, maxLength: 700 }).map((b64) => `Signature ${b64}`), fc.string({ maxLength: 80 }));
    const certificateUrl = fc.oneof(
      fc.tuple(fc.constantFrom(...PREFIXES), segment).map(([prefix, name]) => `${prefix}${name}.cer`),
      urlish,
    );
    const algorithm = fc.constantFrom('rsa-sha256', 'RSA-SHA256', ' rsa-sha256 ', 'rsa-sha1', '');
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { authorization: signature, 'x-ms-signature': signature, 'x-ms-certificate-url': certificateUrl, 'x-ms-signature-algorithm': algorithm, other: fc.string() },
          { requiredKeys: ['x-ms-certificate-url', 'x-ms-signature-algorithm'] },
        ),
        fc.constantFrom(`token=${TOKEN}`, `token=${TOKEN}`, '', 'token=x', `token=${TOKEN}&token=${TOKEN}`),
        fc.uint8Array({ maxLength: 300 }),
        async (headers, search, body) => {
          const verdict = await verifier.verify({ rawBody: Buffer.from(body), query: new URLSearchParams(search), headers });
          // A random signature never verifies, so the only possible answers are rejections with the right statuses.
          assert.equal(verdict.ok, false);
          if (!verdict.ok) assert.ok(verdict.status === 400 || verdict.status === 401);
        },
      ),
      { numRuns: 500 },
    );
    assert.ok(fetched.length > 0, 'the generators should reach the fetch step');
    assert.ok(fetched.every((href) => normalised.some((prefix) => href.startsWith(prefix))));
  });
});
