/**
 * Microsoft Graph's GDAP API under `/v1.0/tenantRelationships/`, in Graph's wire format with OData error
 * bodies: the relationship collection (`$top`, `$filter` on customer and status, paged with an absolute
 * `@odata.nextLink` carrying a `$skiptoken`), one relationship, creating one (201, status `created`), its
 * requests (`lockForApproval`, `terminate`), its access assignments, and `delegatedAdminCustomers`.
 * The state and its rules live in gdap.ts; this file checks shapes and speaks HTTP.
 */
import { randomUUID } from 'node:crypto';
import { createContinuationTokens } from './continuation.ts';
import { GLOBAL_ADMINISTRATOR, isGdapRefusal, type SimulatedAccessAssignment, type SimulatedGdapRelationship } from './gdap.ts';
import type { PartnerCenterRequest } from './partner-center-request.ts';
import { readJsonBody, sendGraphError, sendJson } from './sim-http.ts';

export const GRAPH_PATH_PREFIX = '/v1.0/';
/** The part of Graph the simulator writes to (api-areas.ts allows POST here only). */
export const GRAPH_WRITE_PREFIX = '/v1.0/tenantRelationships/';
const COLLECTION = '/v1.0/tenantRelationships/delegatedAdminRelationships';
const CUSTOMERS = '/v1.0/tenantRelationships/delegatedAdminCustomers';
const DEFAULT_TOP = 100;
const MAX_TOP = 300;
const BODY_LIMIT_BYTES = 64 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RELATIONSHIP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILTER_CLAUSE = /^(customer\/tenantId|status|displayName) eq '([^']*)'$/;
const FILTER_FIELDS = { 'customer/tenantId': (relationship: SimulatedGdapRelationship) => relationship.customer.tenantId, status: (relationship: SimulatedGdapRelationship) => relationship.status, displayName: (relationship: SimulatedGdapRelationship) => relationship.displayName } as const;

interface Position {
  offset: number;
  top: number;
  filter: string;
}

/** `baseUrl()` is the simulator's own address: Graph's next links are absolute. */
export function createGraphRoutes(baseUrl: () => string) {
  const skipTokens = createContinuationTokens();
  const context = (fragment: string) => `${baseUrl()}/v1.0/$metadata#${fragment}`;

  function readPosition(call: PartnerCenterRequest): Position | string {
    const skipToken = call.url.searchParams.get('$skiptoken');
    if (skipToken !== null) {
      const { o, t, f } = skipTokens.read(skipToken) ?? {};
      return typeof o === 'number' && typeof t === 'number' ? { offset: o, top: t, filter: typeof f === 'string' ? f : '' } : 'The $skiptoken is invalid.';
    }
    const top = Number(call.url.searchParams.get('$top') ?? DEFAULT_TOP);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) return `$top must be between 1 and ${MAX_TOP}.`;
    return { offset: 0, top, filter: call.url.searchParams.get('$filter') ?? '' };
  }

  /** One page of `all`, with a next link back to `path` while more follow. */
  function answerPage<T>(call: PartnerCenterRequest, path: string, position: Position, all: T[], toWire: (item: T) => Record<string, unknown>, fragment: string): void {
    const value = all.slice(position.offset, position.offset + position.top).map(toWire);
    const next = position.offset + value.length;
    const token = () => skipTokens.issue({ o: next, t: position.top, ...(position.filter ? { f: position.filter } : {}) });
    const nextLink = next < all.length ? `${baseUrl()}${path}?$top=${position.top}&$skiptoken=${token()}` : undefined;
    sendJson(call.response, 200, { '@odata.context': context(fragment), ...(nextLink ? { '@odata.nextLink': nextLink } : {}), value }, call.echoHeaders);
  }

  function answerList(call: PartnerCenterRequest): void {
    const position = readPosition(call);
    if (typeof position === 'string') return sendGraphError(call.response, 400, position, call.echoHeaders);
    const matches = toFilter(position.filter);
    if (typeof matches === 'string') return sendGraphError(call.response, 400, matches, call.echoHeaders);
    answerPage(call, COLLECTION, position, call.state.gdap.list().filter(matches), toWireRelationship, 'tenantRelationships/delegatedAdminRelationships');
  }

  function answerCustomers(call: PartnerCenterRequest): void {
    const position = readPosition(call);
    if (typeof position === 'string') return sendGraphError(call.response, 400, position, call.echoHeaders);
    const toWire = (customer: { tenantId: string; displayName: string }) => ({ '@odata.type': '#microsoft.graph.delegatedAdminCustomer', id: customer.tenantId, tenantId: customer.tenantId, displayName: customer.displayName });
    answerPage(call, CUSTOMERS, position, call.state.gdap.delegatedAdminCustomers(), toWire, 'tenantRelationships/delegatedAdminCustomers');
  }

  function answerOne(call: PartnerCenterRequest, id: string): void {
    const relationship = call.state.gdap.find(id);
    if (!relationship) return sendGraphError(call.response, 404, `The delegatedAdminRelationship ${id} was not found.`, call.echoHeaders);
    sendJson(call.response, 200, { '@odata.context': context('tenantRelationships/delegatedAdminRelationships/$entity'), ...toWireRelationship(relationship) }, call.echoHeaders);
  }

  /** Only autoExtendDuration, and only with the relationship's current ETag in If-Match (Graph requires it). */
  async function answerPatch(call: PartnerCenterRequest, id: string): Promise<void> {
    const body = await readJson(call);
    const current = call.state.gdap.find(id);
    if (!current) return sendGraphError(call.response, 404, `The delegatedAdminRelationship ${id} was not found.`, call.echoHeaders);
    const ifMatch = call.request.headers['if-match'];
    if (!ifMatch) return sendGraphError(call.response, 400, 'The If-Match header is required.', call.echoHeaders);
    if (ifMatch !== '*' && ifMatch !== etag(current.lastModifiedDateTime)) return sendGraphError(call.response, 412, 'The ETag does not match: the relationship changed.', call.echoHeaders);
    const value = isObject(body) ? body.autoExtendDuration : undefined;
    if (!isObject(body) || Object.keys(body).some((key) => key !== 'autoExtendDuration') || (value !== 'PT0S' && value !== 'P180D')) {
      return sendGraphError(call.response, 400, 'Only autoExtendDuration (PT0S or P180D) can be changed here.', call.echoHeaders);
    }
    const updated = call.state.gdap.setAutoExtend(id, value);
    if (isGdapRefusal(updated)) return sendGraphError(call.response, updated.status, updated.message, call.echoHeaders);
    sendJson(call.response, 200, { '@odata.context': context('tenantRelationships/delegatedAdminRelationships/$entity'), ...toWireRelationship(updated) }, call.echoHeaders);
  }

  async function answerCreate(call: PartnerCenterRequest): Promise<void> {
    const request = toNewRelationship(await readJson(call));
    if (typeof request === 'string') return sendGraphError(call.response, 400, request, call.echoHeaders);
    const displayName = request.customer.displayName ?? call.state.customers.find(request.customer.tenantId)?.companyName ?? '';
    const created = call.state.gdap.create({ ...request, customer: { tenantId: request.customer.tenantId, displayName } });
    if (isGdapRefusal(created)) return sendGraphError(call.response, created.status, created.message, call.echoHeaders);
    const location = `${baseUrl()}${COLLECTION}/${created.id}`;
    sendJson(call.response, 201, { '@odata.context': context('tenantRelationships/delegatedAdminRelationships/$entity'), ...toWireRelationship(created) }, { ...call.echoHeaders, Location: location });
  }

  async function answerRequest(call: PartnerCenterRequest, id: string): Promise<void> {
    const body = await readJson(call);
    const action = isObject(body) ? body.action : undefined;
    const gdap = call.state.gdap;
    const outcome = action === 'lockForApproval' ? gdap.lockForApproval(id) : action === 'terminate' ? gdap.requestTermination(id) : undefined;
    if (!outcome) return sendGraphError(call.response, 400, 'action must be lockForApproval or terminate (approve and reject are for indirect resellers).', call.echoHeaders);
    if (isGdapRefusal(outcome)) return sendGraphError(call.response, outcome.status, outcome.message, call.echoHeaders);
    const now = outcome.lastModifiedDateTime;
    const requestId = randomUUID();
    sendJson(
      call.response,
      201,
      { '@odata.context': context(`tenantRelationships/delegatedAdminRelationships('${id}')/requests/$entity`), '@odata.type': '#microsoft.graph.delegatedAdminRelationshipRequest', id: requestId, action, status: 'created', createdDateTime: now, lastModifiedDateTime: now },
      { ...call.echoHeaders, Location: `${baseUrl()}${COLLECTION}/${outcome.id}/requests/${requestId}` },
    );
  }

  async function answerAssignmentCreate(call: PartnerCenterRequest, id: string): Promise<void> {
    const input = toAssignmentInput(await readJson(call));
    if (typeof input === 'string') return sendGraphError(call.response, 400, input, call.echoHeaders);
    const created = call.state.gdap.addAccessAssignment(id, input);
    if (isGdapRefusal(created)) return sendGraphError(call.response, created.status, created.message, call.echoHeaders);
    sendJson(call.response, 201, { '@odata.context': context(`tenantRelationships/delegatedAdminRelationships('${id}')/accessAssignments/$entity`), ...toWireAssignment(created) }, { ...call.echoHeaders, Location: `${baseUrl()}${COLLECTION}/${created.relationshipId}/accessAssignments/${created.id}` });
  }

  function answerAssignments(call: PartnerCenterRequest, id: string, assignmentId?: string): void {
    const assignments = call.state.gdap.accessAssignments(id);
    if (!assignments) return sendGraphError(call.response, 404, `The delegatedAdminRelationship ${id} was not found.`, call.echoHeaders);
    if (assignmentId === undefined) return sendJson(call.response, 200, { '@odata.context': context(`tenantRelationships/delegatedAdminRelationships('${id}')/accessAssignments`), value: assignments.map(toWireAssignment) }, call.echoHeaders);
    const assignment = assignments.find((candidate) => candidate.id === assignmentId.toLowerCase());
    if (!assignment) return sendGraphError(call.response, 404, `The delegatedAdminAccessAssignment ${assignmentId} was not found.`, call.echoHeaders);
    sendJson(call.response, 200, { '@odata.context': context(`tenantRelationships/delegatedAdminRelationships('${id}')/accessAssignments/$entity`), ...toWireAssignment(assignment) }, call.echoHeaders);
  }

  /** Below the collection: `{id}`, `{id}/requests`, `{id}/accessAssignments[/{assignmentId}]`. */
  async function routeRelationship(call: PartnerCenterRequest, method: string, segments: string[]): Promise<void> {
    const [id = '', child, assignmentId, ...rest] = segments;
    if (!RELATIONSHIP_ID.test(id)) return sendGraphError(call.response, 400, 'Invalid delegatedAdminRelationship id.', call.echoHeaders);
    if (rest.length) return sendGraphError(call.response, 404, 'The requested resource was not found.', call.echoHeaders);
    if (child === undefined && method === 'GET') return answerOne(call, id);
    if (child === undefined && method === 'PATCH') return answerPatch(call, id);
    if (child === 'requests' && assignmentId === undefined && method === 'POST') return answerRequest(call, id);
    if (child === 'accessAssignments' && method === 'GET') return answerAssignments(call, id, assignmentId);
    if (child === 'accessAssignments' && assignmentId === undefined && method === 'POST') return answerAssignmentCreate(call, id);
    if (child === undefined || child === 'requests' || child === 'accessAssignments') return sendGraphError(call.response, 405, `${method} is not supported here.`, call.echoHeaders);
    sendGraphError(call.response, 404, 'The requested resource was not found.', call.echoHeaders);
  }

  async function route(call: PartnerCenterRequest, method: string, path: string): Promise<void> {
    if (path === COLLECTION && method === 'GET') return answerList(call);
    if (path === COLLECTION && method === 'POST') return answerCreate(call);
    if (path === CUSTOMERS && method === 'GET') return answerCustomers(call);
    if (path === COLLECTION || path === CUSTOMERS) return sendGraphError(call.response, 405, `${method} is not supported here.`, call.echoHeaders);
    return routeRelationship(call, method, path.slice(COLLECTION.length + 1).split('/').map(decodeURIComponent));
  }

  return function routeGraph(call: PartnerCenterRequest): boolean {
    const path = call.url.pathname;
    if (path !== COLLECTION && path !== CUSTOMERS && !path.startsWith(`${COLLECTION}/`)) return false;
    route(call, call.request.method ?? 'GET', path).catch(() => sendGraphError(call.response, 400, 'The request could not be read.', call.echoHeaders));
    return true;
  };
}

export function toWireRelationship(relationship: SimulatedGdapRelationship): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationship',
    '@odata.etag': etag(relationship.lastModifiedDateTime),
    id: relationship.id,
    displayName: relationship.displayName,
    duration: relationship.duration,
    status: relationship.status,
    autoExtendDuration: relationship.autoExtendDuration ?? 'PT0S',
    createdDateTime: relationship.createdDateTime,
    lastModifiedDateTime: relationship.lastModifiedDateTime,
    activatedDateTime: relationship.activatedDateTime ?? null,
    endDateTime: relationship.endDateTime ?? null,
    customer: { tenantId: relationship.customer.tenantId, displayName: relationship.customer.displayName },
    accessDetails: { unifiedRoles: relationship.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}

function toWireAssignment(assignment: SimulatedAccessAssignment): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminAccessAssignment',
    '@odata.etag': etag(`${assignment.id}${assignment.lastModifiedDateTime}`),
    id: assignment.id,
    status: assignment.status,
    createdDateTime: assignment.createdDateTime,
    lastModifiedDateTime: assignment.lastModifiedDateTime,
    accessContainer: { accessContainerId: assignment.securityGroupId, accessContainerType: 'securityGroup' },
    accessDetails: { unifiedRoles: assignment.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}

function etag(seed: string): string {
  return `W/"${Buffer.from(seed).toString('base64')}"`;
}

/** `customer/tenantId eq '…'`, `status eq '…'`, `displayName eq '…'`, joined with `and`; anything else is refused. */
function toFilter(filter: string): ((relationship: SimulatedGdapRelationship) => boolean) | string {
  if (!filter.trim()) return () => true;
  const clauses = filter.split(/\s+and\s+/i).map((clause) => FILTER_CLAUSE.exec(clause.trim()));
  if (clauses.some((clause) => !clause)) return 'Invalid $filter: only customer/tenantId, status and displayName with eq are supported.';
  const tests = clauses.map((clause) => {
    const field = FILTER_FIELDS[clause?.[1] as keyof typeof FILTER_FIELDS];
    const value = (clause?.[2] ?? '').toLowerCase();
    return (relationship: SimulatedGdapRelationship) => field(relationship).toLowerCase() === value;
  });
  return (relationship) => tests.every((test) => test(relationship));
}

function readJson(call: PartnerCenterRequest): Promise<unknown> {
  return readJsonBody(call.request, BODY_LIMIT_BYTES);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `accessDetails.unifiedRoles[].roleDefinitionId`, each a GUID, at least one. */
function readRoles(accessDetails: unknown): string[] | undefined {
  const roles = isObject(accessDetails) ? accessDetails.unifiedRoles : undefined;
  if (!Array.isArray(roles) || roles.length === 0) return undefined;
  const ids = roles.map((role) => (isObject(role) && typeof role.roleDefinitionId === 'string' && GUID.test(role.roleDefinitionId) ? role.roleDefinitionId.toLowerCase() : undefined));
  return ids.every((id): id is string => id !== undefined) ? [...new Set(ids)] : undefined;
}

type NewRelationshipBody = { displayName: string; duration: string; autoExtendDuration: 'PT0S' | 'P180D'; customer: { tenantId: string; displayName?: string }; roles: string[] };

/** The create body as Graph checks it, or Graph's reason for refusing it. */
function toNewRelationship(body: unknown): NewRelationshipBody | string {
  if (!isObject(body)) return 'The body must be a delegatedAdminRelationship in JSON.';
  const { displayName, duration, customer } = body;
  if (typeof displayName !== 'string' || displayName.trim() === '' || displayName.length > 50) return 'displayName is required and must have at most 50 characters.';
  const days = typeof duration === 'string' ? /^P(\d+)D$/.exec(duration)?.[1] : undefined;
  if (!days || Number(days) < 1 || Number(days) > 730) return 'duration must be between P1D and P730D.';
  const autoExtendDuration = body.autoExtendDuration ?? 'PT0S';
  if (autoExtendDuration !== 'PT0S' && autoExtendDuration !== 'P180D') return 'autoExtendDuration must be PT0S or P180D.';
  const tenantId = isObject(customer) ? customer.tenantId : undefined;
  if (typeof tenantId !== 'string' || !GUID.test(tenantId)) return 'customer.tenantId must be a GUID.';
  const roles = readRoles(body.accessDetails);
  if (!roles) return 'accessDetails.unifiedRoles must list at least one roleDefinitionId (GUID).';
  if (autoExtendDuration === 'P180D' && roles.includes(GLOBAL_ADMINISTRATOR)) return 'Auto-extend is not supported for relationships that include the Global Administrator role.';
  const customerName = isObject(customer) && typeof customer.displayName === 'string' && customer.displayName ? customer.displayName : undefined;
  return { displayName, duration: `P${Number(days)}D`, autoExtendDuration, customer: { tenantId: tenantId.toLowerCase(), ...(customerName ? { displayName: customerName } : {}) }, roles };
}

function toAssignmentInput(body: unknown): { securityGroupId: string; roles: string[] } | string {
  if (!isObject(body)) return 'The body must be a delegatedAdminAccessAssignment in JSON.';
  const container = body.accessContainer;
  const groupId = isObject(container) ? container.accessContainerId : undefined;
  if (!isObject(container) || container.accessContainerType !== 'securityGroup' || typeof groupId !== 'string' || !GUID.test(groupId)) return 'accessContainer must name a securityGroup by its id (GUID).';
  const roles = readRoles(body.accessDetails);
  if (!roles) return 'accessDetails.unifiedRoles must list at least one roleDefinitionId (GUID).';
  return { securityGroupId: groupId.toLowerCase(), roles };
}
