import type { KeyValue, Store } from '../ports.ts';
import type { CallContext, PartnerCenter } from './partner-center.port.ts';

const CACHE_KEY = 'relationship-request-url';
/** How long a process trusts its own copy before asking the shared store again. */
const LOCAL_COPY_MS = 60_000;

export interface RelationshipLinkSource {
  /** The partner's reseller link, from the cache while fresh, else from Partner Center. */
  getLink(context: CallContext): Promise<string>;
}

/**
 * The link is stable per partner, so one Partner Center call serves every request for `ttlMs`. It is
 * kept in the store (shared by replicas, survives restarts) and, for a minute at a time, in memory so the
 * hot path skips the store read. Never in logs.
 */
export function createRelationshipLinkSource(partnerCenter: PartnerCenter, store: Store, ttlMs: number, now: () => number = Date.now): RelationshipLinkSource {
  const cache: KeyValue<string> = store.namespace<string>('partner-center-cache');
  let local: { link: string; until: number } | undefined;
  const remember = (link: string): string => {
    if (ttlMs > 0) local = { link, until: now() + Math.min(ttlMs, LOCAL_COPY_MS) };
    return link;
  };
  return {
    async getLink(context) {
      if (local && local.until > now()) return local.link;
      const cached = await cache.get(CACHE_KEY);
      if (cached) return remember(cached);
      const link = await partnerCenter.getRelationshipRequestUrl(context);
      if (ttlMs > 0) await cache.set(CACHE_KEY, link, ttlMs);
      return remember(link);
    },
  };
}

/**
 * The indirect reseller variant: the partner's link with `indirectCSPId=<provider tenant id>` added before
 * the fragment, as open-source partner tools do. Not an official Partner Center API: the card says so.
 */
export function toIndirectLink(link: string, providerId: string): string {
  const hashAt = link.indexOf('#');
  const base = hashAt === -1 ? link : link.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : link.slice(hashAt);
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}indirectCSPId=${encodeURIComponent(providerId)}${fragment}`;
}
