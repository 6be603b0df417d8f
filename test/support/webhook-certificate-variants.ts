/**
 * The certificate variants a Partner Center webhook verifier must refuse (domain/partner-center.md,
 * "Signature verification" steps 3 and 4), shared by the verifier's unit tests and the security suite,
 * which sends each through the real server.
 */
export const PRODUCTION_CERT_PREFIX = 'https://3psostorageacct.blob.core.windows.net/cert/';
const PRODUCTION = PRODUCTION_CERT_PREFIX;

/** URLs refused before anything is fetched, with what makes each one wrong. */
export const REFUSED_CERTIFICATE_URLS: ReadonlyArray<readonly [when: string, url: string]> = [
  ['http on a public host', 'http://3psostorageacct.blob.core.windows.net/cert/x.cer'],
  ['another host', 'https://evil.example/cert/x.cer'],
  ['the allowed host as a path on another host', 'https://evil.example/3psostorageacct.blob.core.windows.net/cert/x.cer'],
  ['the allowed host as a prefix of another host', 'https://3psostorageacct.blob.core.windows.net.evil.example/cert/x.cer'],
  ['a look-alike host', 'https://3psostorageacct-blob.core.windows.net/cert/x.cer'],
  ['userinfo', 'https://user:pass@3psostorageacct.blob.core.windows.net/cert/x.cer'],
  ['userinfo pointing elsewhere', 'https://3psostorageacct.blob.core.windows.net@evil.example/cert/x.cer'],
  ['an explicit port on https', 'https://3psostorageacct.blob.core.windows.net:8443/cert/x.cer'],
  ['a query', 'https://3psostorageacct.blob.core.windows.net/cert/x.cer?sv=1'],
  ['an empty query', 'https://3psostorageacct.blob.core.windows.net/cert/x.cer?'],
  ['a fragment', 'https://3psostorageacct.blob.core.windows.net/cert/x.cer#a'],
  ['..', 'https://3psostorageacct.blob.core.windows.net/cert/../other/x.cer'],
  ['.. that stays inside the folder', 'https://3psostorageacct.blob.core.windows.net/cert/a/../x.cer'],
  ['%2e%2e', 'https://3psostorageacct.blob.core.windows.net/cert/%2e%2e/x.cer'],
  ['%2f', 'https://3psostorageacct.blob.core.windows.net/cert/a%2fx.cer'],
  ['%2F (upper case)', 'https://3psostorageacct.blob.core.windows.net/cert/a%2Fx.cer'],
  ['%5c', 'https://3psostorageacct.blob.core.windows.net/cert/a%5cx.cer'],
  ['a backslash', 'https://3psostorageacct.blob.core.windows.net/cert\\x.cer'],
  ['a name not ending in .cer', 'https://3psostorageacct.blob.core.windows.net/cert/x.pem'],
  ['.cer only in the middle', 'https://3psostorageacct.blob.core.windows.net/cert/x.cer/y'],
  ['the folder itself', PRODUCTION],
  ['a parent folder', 'https://3psostorageacct.blob.core.windows.net/x.cer'],
  ['a sibling folder sharing the prefix text', 'https://3psostorageacct.blob.core.windows.net/certs/x.cer'],
  ['a tab inside', 'https://3psostorageacct.blob.core.windows.net/ce\trt/x.cer'],
  ['a percent escape in the name', 'https://3psostorageacct.blob.core.windows.net/cert/x%41.cer'],
  ['a hidden file', 'https://3psostorageacct.blob.core.windows.net/cert/.x.cer'],
  ['a double slash', 'https://3psostorageacct.blob.core.windows.net/cert//x.cer'],
  ['another scheme', 'ftp://3psostorageacct.blob.core.windows.net/cert/x.cer'],
  ['file:', 'file:///cert/x.cer'],
  ['not a URL', 'x.cer'],
  ['a relative path', '/cert/x.cer'],
  ['a loopback host that is not configured', 'http://127.0.0.2/cert/x.cer'],
  ['a redirect path', 'https://3psostorageacct.blob.core.windows.net/cert/x.cer/../../redirect?to=x.cer'],
];

/** Fetched, then refused: [what is wrong, fixture served, key that signs, verifier reason]. */
export const UNTRUSTED_CERTIFICATES: ReadonlyArray<readonly [when: string, certificate: string, key: string, reason: string]> = [
  ['issued by a look-alike CA nobody trusts', 'other-signing.cer', 'other-signing.key.pem', 'certificate not trusted'],
  ['self-signed', 'self-signed.cer', 'self-signed.key.pem', 'certificate not trusted'],
  ['"issued" by a leaf that is not a CA', 'leaf-signed-by-leaf.cer', 'other-signing.key.pem', 'certificate not trusted'],
  ['for another organisation', 'wrong-org-signing.cer', 'simulator-signing.key.pem', 'certificate organisation mismatch'],
  ['expired', 'expired-signing.cer', 'simulator-signing.key.pem', 'certificate expired'],
  ['an EC key, not RSA', 'ec-signing.cer', 'ec-signing.key.pem', 'certificate key not accepted'],
];
