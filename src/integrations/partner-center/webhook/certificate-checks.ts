/**
 * What makes a downloaded certificate acceptable as Partner Center's signing key: readable X.509 (DER, or
 * PEM with optional intermediates after the leaf), valid now, "Microsoft Corporation" as subject and
 * issuer organisation, an RSA key of at least 2048 bits, and a chain to a trusted anchor.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { rootCertificates } from 'node:tls';

const ORGANISATION = 'Microsoft Corporation';
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;
/** A leaf plus a couple of intermediates is all Partner Center could need; more is someone's experiment. */
const MAX_BUNDLE_CERTIFICATES = 4;
const MIN_RSA_BITS = 2048;

export type CertificateProblem =
  | 'certificate unreadable'
  | 'certificate not yet valid'
  | 'certificate expired'
  | 'certificate organisation mismatch'
  | 'certificate key not accepted'
  | 'certificate not trusted';

export interface AcceptedCertificate {
  publicKey: KeyObject;
  validFrom: number;
  validTo: number;
}

/** PEM text → certificates; throws when a block is not a certificate (callers decide what that means). */
export function parsePemBundle(pem: string): X509Certificate[] {
  return (pem.match(PEM_BLOCK) ?? []).map((block) => new X509Certificate(block));
}

/** Leaf first, then whatever intermediates a PEM body carried; undefined when the bytes are not X.509. */
export function parseCertificateBody(body: Buffer): X509Certificate[] | undefined {
  try {
    const text = body.subarray(0, 64).toString('latin1').trimStart();
    const certificates = text.startsWith('-----BEGIN') ? parsePemBundle(body.toString('latin1')) : [new X509Certificate(body)];
    return certificates.length > 0 && certificates.length <= MAX_BUNDLE_CERTIFICATES ? certificates : undefined;
  } catch {
    return undefined;
  }
}

let systemAnchors: X509Certificate[] | undefined;

/** Node's bundled roots, parsed on first use (≈50 ms) and shared by every verifier. */
function systemRootAnchors(): X509Certificate[] {
  systemAnchors ??= rootCertificates.map((pem) => new X509Certificate(pem));
  return systemAnchors;
}

/** Node's root store plus the operator's PEM bundle (PARTNER_CENTER_TRUSTED_CA_FILE), which must not be empty. */
export function createTrustAnchors(trustedCaPem?: string): X509Certificate[] {
  if (trustedCaPem === undefined) return systemRootAnchors();
  const extra = parsePemBundle(trustedCaPem);
  if (extra.length === 0) throw new Error('PARTNER_CENTER_TRUSTED_CA_FILE: no PEM certificate found');
  return [...extra, ...systemRootAnchors()];
}

/** An unparseable date gives NaN, and every comparison with NaN is false: such a certificate is never valid. */
function isValidAt(certificate: X509Certificate, now: number): boolean {
  return Date.parse(certificate.validFrom) <= now && now <= Date.parse(certificate.validTo);
}

/** Every `O=` of a distinguished name as Node prints it (one attribute per line). */
function organisations(distinguishedName: string): string[] {
  return distinguishedName.split('\n').filter((line) => line.startsWith('O=')).map((line) => line.slice(2));
}

function isMicrosoft(distinguishedName: string): boolean {
  const found = organisations(distinguishedName);
  return found.length === 1 && found[0] === ORGANISATION;
}

/** `issuer` really issued `certificate`: a CA, valid now, names match, and its key made the signature. */
function issued(issuer: X509Certificate, certificate: X509Certificate, now: number): boolean {
  return issuer.ca && isValidAt(issuer, now) && certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

/** Leaf signed by an anchor, or by one intermediate from the body that an anchor signed. */
function chainsToAnchor(leaf: X509Certificate, intermediates: X509Certificate[], anchors: readonly X509Certificate[], now: number): boolean {
  const byAnchor = (certificate: X509Certificate): boolean => anchors.some((anchor) => issued(anchor, certificate, now));
  if (byAnchor(leaf)) return true;
  return intermediates.some((intermediate) => issued(intermediate, leaf, now) && byAnchor(intermediate));
}

function isStrongRsa(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS;
}

/** Cheapest checks first; the chain walk (signature checks against many anchors) runs last. */
export function checkCertificate(body: Buffer, anchors: readonly X509Certificate[], now: number): AcceptedCertificate | CertificateProblem {
  const certificates = parseCertificateBody(body);
  const [leaf, ...intermediates] = certificates ?? [];
  if (!leaf) return 'certificate unreadable';
  const validFrom = Date.parse(leaf.validFrom);
  const validTo = Date.parse(leaf.validTo);
  if (Number.isNaN(validFrom) || Number.isNaN(validTo)) return 'certificate unreadable';
  if (now < validFrom) return 'certificate not yet valid';
  if (now > validTo) return 'certificate expired';
  if (!isMicrosoft(leaf.subject) || !isMicrosoft(leaf.issuer)) return 'certificate organisation mismatch';
  const publicKey = leaf.publicKey;
  if (!isStrongRsa(publicKey)) return 'certificate key not accepted';
  if (!chainsToAnchor(leaf, intermediates, anchors, now)) return 'certificate not trusted';
  return { publicKey, validFrom, validTo };
}
