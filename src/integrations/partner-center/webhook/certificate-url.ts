/**
 * The `x-ms-certificate-url` header is attacker-supplied and the bot fetches it: an SSRF vector. Only a
 * URL that stays, after WHATWG normalisation, under one configured prefix and names a plain `.cer` file
 * is ever fetched. Checks run on the raw text too, because `new URL` silently resolves `%2e%2e` and
 * strips tabs and newlines, so the normalised form alone would hide the attempt.
 */

const MAX_URL_LENGTH = 2048;
/** `..`, encoded separators or dots, backslashes, userinfo, query, fragment, and anything outside visible ASCII. */
const FORBIDDEN_RAW = /\.\.|%2f|%5c|%2e|[\\?#@]|[^\x21-\x7e]/i;
/** What may follow the prefix: plain path segments (no leading dot, no percent escapes) ending in `.cer`. */
const SAFE_TAIL = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*\.cer$/;
const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** 127.0.0.0/8, ::1 and localhost: the only hosts plain http is allowed for (the local simulator). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || IPV4_LOOPBACK.test(hostname);
}

/** https on its default port, or http on a loopback host (any port); never credentials, query or fragment. */
function hasAllowedOrigin(url: URL): boolean {
  if (url.username || url.password || url.search || url.hash) return false;
  if (url.protocol === 'https:') return url.port === '';
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/**
 * Normalises the configured prefixes once, at start-up. A prefix must end in `/` so that the host and
 * folder are fully delimited (`…windows.net` must not match `…windows.net.evil.example`); a bad prefix
 * is a configuration error, thrown so the bot refuses to start rather than accept too much.
 */
export function normaliseCertificateUrlPrefixes(prefixes: readonly string[]): string[] {
  if (prefixes.length === 0) throw new Error('PARTNER_CENTER_CERT_URL_PREFIXES: at least one prefix is required');
  return prefixes.map((prefix) => {
    const url = URL.canParse(prefix) ? new URL(prefix) : undefined;
    if (!url || !hasAllowedOrigin(url) || !url.href.endsWith('/') || FORBIDDEN_RAW.test(url.href)) {
      throw new Error(`PARTNER_CENTER_CERT_URL_PREFIXES: "${prefix}" must be an https URL (or http on a loopback host) ending in "/", without credentials, query or fragment`);
    }
    return url.href;
  });
}

/** The URL to fetch when the header passes every rule, otherwise undefined. Never throws. */
export function checkCertificateUrl(raw: string, normalisedPrefixes: readonly string[]): URL | undefined {
  if (raw.length > MAX_URL_LENGTH || FORBIDDEN_RAW.test(raw) || !URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  if (!hasAllowedOrigin(url)) return undefined;
  const prefix = normalisedPrefixes.find((candidate) => url.href.startsWith(candidate));
  if (prefix === undefined) return undefined;
  return SAFE_TAIL.test(url.href.slice(prefix.length)) ? url : undefined;
}
