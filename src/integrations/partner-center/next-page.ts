/**
 * Following `links.next`: the URI is relative to the API base and the page is only the next one when
 * every header in `links.next.headers` (notably MS-ContinuationToken) goes along — dropping them
 * silently restarts at page 1.
 */
import { MalformedResponseError } from './call-errors.ts';
import type { NextLink } from './wire.ts';

export interface PageRequest {
  /** Path without query: for logs and errors. */
  path: string;
  pathAndQuery: string;
  headers: Record<string, string>;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;
/** Headers the client owns; a response naming them is ignored rather than obeyed. */
const RESERVED_HEADERS = new Set(['authorization', 'host', 'cookie', 'content-length', 'ms-requestid', 'ms-correlationid', 'accept', 'x-locale', 'ms-contract-version']);
const LIST_PATH = '/v1/customers';

/**
 * Builds the next request; refuses links off the API host and links that would read a page twice.
 * `listPath` names the collection in errors (customers, audit records).
 */
export function toNextPageRequest(next: NextLink, seen: Set<string>, listPath = LIST_PATH): PageRequest {
  const pathAndQuery = toApiPath(next.uri, listPath);
  const headers: Record<string, string> = {};
  for (const { key, value } of next.headers ?? []) {
    if (!HEADER_NAME.test(key) || HEADER_VALUE_FORBIDDEN.test(value)) throw malformed('a continuation header is not a valid HTTP header', listPath);
    if (!RESERVED_HEADERS.has(key.toLowerCase())) headers[key] = value;
  }
  const fingerprint = JSON.stringify([pathAndQuery, headers]);
  if (seen.has(fingerprint)) throw malformed('the next link repeats a page already read', listPath);
  seen.add(fingerprint);
  return { path: pathAndQuery.split('?')[0] ?? listPath, pathAndQuery, headers };
}

/**
 * Partner Center documents next links relative to the base (`/v1/customers?…`); some answers omit the
 * version (`/customers?…`). Absolute URLs are refused: the bearer token must never go to a host a
 * response names.
 */
function toApiPath(uri: string, listPath: string): string {
  if (!uri.startsWith('/') || uri.startsWith('//') || uri.includes('\\')) throw malformed('the next link is not relative to the API', listPath);
  const versioned = uri.startsWith('/v1/') ? uri : `/v1${uri}`;
  const parsed = new URL(versioned, 'https://api.invalid');
  if (parsed.host !== 'api.invalid') throw malformed('the next link is not relative to the API', listPath);
  return `${parsed.pathname}${parsed.search}`;
}

function malformed(reason: string, listPath: string): MalformedResponseError {
  return new MalformedResponseError('partner-center', listPath, reason);
}
