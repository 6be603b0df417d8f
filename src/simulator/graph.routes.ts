/**
 * Microsoft Graph's GDAP collection, `/v1.0/tenantRelationships/delegatedAdminRelationships`: the list
 * (`$top`, paged with an absolute `@odata.nextLink` carrying a `$skiptoken`) and one relationship by id,
 * in Graph's wire format with OData error bodies.
 */
import type { PartnerCenterRequest } from './partner-center-request.ts';
import { createContinuationTokens } from './continuation.ts';
import type { SimulatedGdapRelationship } from './gdap.ts';
import { sendGraphError, sendJson } from './sim-http.ts';

export const GRAPH_PATH_PREFIX = '/v1.0/';
const COLLECTION = '/v1.0/tenantRelationships/delegatedAdminRelationships';
const DEFAULT_TOP = 100;
const MAX_TOP = 300;
const RELATIONSHIP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `baseUrl()` is the simulator's own address: Graph's next links are absolute. */
export function createGraphRoutes(baseUrl: () => string) {
  const skipTokens = createContinuationTokens();

  function readPosition(call: PartnerCenterRequest): { offset: number; top: number } | string {
    const skipToken = call.url.searchParams.get('$skiptoken');
    if (skipToken !== null) {
      const { o, t } = skipTokens.read(skipToken) ?? {};
      return typeof o === 'number' && typeof t === 'number' ? { offset: o, top: t } : 'The $skiptoken is invalid.';
    }
    const top = Number(call.url.searchParams.get('$top') ?? DEFAULT_TOP);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) return `$top must be between 1 and ${MAX_TOP}.`;
    return { offset: 0, top };
  }

  function answerList(call: PartnerCenterRequest): void {
    const position = readPosition(call);
    if (typeof position === 'string') return sendGraphError(call.response, 400, position, call.echoHeaders);
    const all = call.state.gdap.list();
    const value = all.slice(position.offset, position.offset + position.top).map(toWireRelationship);
    const next = position.offset + value.length;
    const nextLink = next < all.length ? `${baseUrl()}${COLLECTION}?$top=${position.top}&$skiptoken=${skipTokens.issue({ o: next, t: position.top })}` : undefined;
    const body = { '@odata.context': `${baseUrl()}/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships`, ...(nextLink ? { '@odata.nextLink': nextLink } : {}), value };
    sendJson(call.response, 200, body, call.echoHeaders);
  }

  function answerOne(call: PartnerCenterRequest, id: string): void {
    if (!RELATIONSHIP_ID.test(id)) return sendGraphError(call.response, 400, 'Invalid delegatedAdminRelationship id.', call.echoHeaders);
    const relationship = call.state.gdap.find(id);
    if (!relationship) return sendGraphError(call.response, 404, `The delegatedAdminRelationship ${id} was not found.`, call.echoHeaders);
    sendJson(call.response, 200, { '@odata.context': `${baseUrl()}/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships/$entity`, ...toWireRelationship(relationship) }, call.echoHeaders);
  }

  return function routeGraph(call: PartnerCenterRequest): boolean {
    const path = call.url.pathname;
    if (path === COLLECTION) answerList(call);
    else if (path.startsWith(`${COLLECTION}/`) && !path.slice(COLLECTION.length + 1).includes('/')) answerOne(call, decodeURIComponent(path.slice(COLLECTION.length + 1)));
    else return false;
    return true;
  };
}

export function toWireRelationship(relationship: SimulatedGdapRelationship): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationship',
    '@odata.etag': `W/"${Buffer.from(relationship.lastModifiedDateTime).toString('base64')}"`,
    id: relationship.id,
    displayName: relationship.displayName,
    duration: relationship.duration,
    status: relationship.status,
    autoExtendDuration: 'PT0S',
    createdDateTime: relationship.createdDateTime,
    lastModifiedDateTime: relationship.lastModifiedDateTime,
    activatedDateTime: relationship.activatedDateTime ?? null,
    endDateTime: relationship.endDateTime ?? null,
    customer: { tenantId: relationship.customer.tenantId, displayName: relationship.customer.displayName },
    accessDetails: { unifiedRoles: relationship.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}
