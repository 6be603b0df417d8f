/**
 * Microsoft Graph for GDAP (`/v1.0/tenantRelationships/delegatedAdminRelationships`), with App+User tokens
 * for the Graph scope from the same refresh token Partner Center uses. Same discipline as the Partner
 * Center client: one request id per logical call (`client-request-id`), Retry-After on 429, its own
 * circuit breaker (a Graph outage must not pause Partner Center calls), one AppError per failure.
 */
import { AppError } from '../../core/errors.ts';
import type { GdapRelationship } from '../../core/events/directory.port.ts';
import type { CallContext } from '../../core/relationships/partner-center.port.ts';
import { createApiCaller, fixedRequest, type ApiCaller } from '../partner-center/api-caller.ts';
import { DEFAULT_TIMEOUT_MS, type PartnerCenterClientOptions } from '../partner-center/partner-center.caller.ts';
import { createResilience } from '../partner-center/resilience.ts';
import { createHttp } from '../partner-center/send-request.ts';
import { createTokenProvider, GRAPH_SCOPE } from '../partner-center/token-provider.ts';
import { toGraphNextRequest } from './graph-next-link.ts';
import { readGdapRelationship, readGdapRelationshipPage } from './graph-wire.ts';

export interface GraphClientOptions extends Omit<PartnerCenterClientOptions, 'apiUrl'> {
  /** GRAPH_API_URL, e.g. https://graph.microsoft.com (no version). */
  graphUrl: string;
}

export interface GraphClient {
  listGdapRelationships(context: CallContext): AsyncIterable<GdapRelationship[]>;
  getGdapRelationship(relationshipId: string, context: CallContext): Promise<GdapRelationship>;
}

export const RELATIONSHIPS_PATH = '/v1.0/tenantRelationships/delegatedAdminRelationships';
/** Graph documents $top up to 300 for delegatedAdminCustomers; the same ceiling is assumed here (fewer pages per poll). */
export const PAGE_SIZE = 300;
const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const RELATIONSHIP_ID = new RegExp(`^${GUID}-${GUID}$`, 'i');

export function createGraphCaller(options: GraphClientOptions): ApiCaller {
  const clock = options.clock ?? { now: Date.now };
  const log = options.log.child({ integration: 'graph' });
  const http = createHttp();
  const tokens = createTokenProvider({ ...options, authorityUrl: options.authorityUrl.replace(/\/+$/, ''), http, clock, log, scope: GRAPH_SCOPE });
  return createApiCaller({
    service: 'graph',
    label: 'Microsoft Graph',
    baseUrl: options.graphUrl,
    http,
    tokens,
    resilience: createResilience(options.retry, options.circuit, clock),
    log,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // Graph's idempotency and tracing header; it has no correlation header, so the correlation id stays in our logs.
    headers: (_context, requestId) => ({ 'client-request-id': requestId }),
  });
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  return createGraphClientWith(createGraphCaller(options));
}

/** On a caller shared with the GDAP admin client (one token cache, one circuit breaker for Graph). */
export function createGraphClientWith(caller: ApiCaller): GraphClient {
  return {
    // App+User: reading GDAP relationships needs an admin agent's delegated DelegatedAdminRelationship.Read(Write).All.
    async *listGdapRelationships(context) {
      let request = fixedRequest(RELATIONSHIPS_PATH, `$top=${PAGE_SIZE}`);
      const seen = new Set<string>([request.pathAndQuery]);
      for (;;) {
        const page = await caller.perform({ request, auth: 'app-user', read: readGdapRelationshipPage }, context);
        yield page.relationships;
        if (!page.nextLink) return;
        try {
          request = toGraphNextRequest(page.nextLink, caller.baseUrl, RELATIONSHIPS_PATH, seen);
        } catch (error) {
          throw caller.fail(error, context, RELATIONSHIPS_PATH);
        }
      }
    },
    async getGdapRelationship(relationshipId, context) {
      if (typeof relationshipId !== 'string' || !RELATIONSHIP_ID.test(relationshipId)) {
        const error = new AppError('PARTNER_CENTER.BAD_REQUEST', { message: 'The GDAP relationship id is not {guid}-{guid}', params: { correlationId: context.correlationId } });
        throw caller.fail(error, context, `${RELATIONSHIPS_PATH}/{id}`);
      }
      const request = { ...fixedRequest(`${RELATIONSHIPS_PATH}/${relationshipId.toLowerCase()}`), path: `${RELATIONSHIPS_PATH}/{id}` };
      return caller.perform({ request, auth: 'app-user', read: readGdapRelationship }, context);
    },
  };
}
