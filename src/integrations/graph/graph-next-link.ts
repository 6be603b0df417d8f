/**
 * Following Graph's `@odata.nextLink`: unlike Partner Center's, it is an absolute URL. The bearer token
 * goes along, so the link must stay on the configured Graph base and on the collection being read;
 * anything else (another host, userinfo, another path, a link already followed) is refused.
 */
import { MalformedResponseError } from '../partner-center/call-errors.ts';
import type { PageRequest } from '../partner-center/next-page.ts';

export function toGraphNextRequest(nextLink: string, baseUrl: string, collectionPath: string, seen: Set<string>): PageRequest {
  const base = new URL(baseUrl.replace(/\/+$/, ''));
  const basePath = base.pathname.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(nextLink);
  } catch {
    throw malformed('the next link is not a URL', collectionPath);
  }
  if (url.origin !== base.origin || url.username || url.password || url.hash) throw malformed('the next link leaves the Graph API', collectionPath);
  if (url.pathname !== `${basePath}${collectionPath}`) throw malformed('the next link names another collection', collectionPath);
  const pathAndQuery = `${collectionPath}${url.search}`;
  if (seen.has(pathAndQuery)) throw malformed('the next link repeats a page already read', collectionPath);
  seen.add(pathAndQuery);
  return { path: collectionPath, pathAndQuery, headers: {} };
}

function malformed(reason: string, path: string): MalformedResponseError {
  return new MalformedResponseError('graph', path, reason);
}
