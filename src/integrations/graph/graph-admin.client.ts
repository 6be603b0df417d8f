/**
 * The GdapAdmin port on Microsoft Graph v1.0 (partner-center.md §7), on the same caller as the read side:
 * one token cache, Retry-After on 429, one circuit breaker, one AppError per failure.
 *
 * Inputs are checked before anything is sent (the port's rules). Writes are POSTs that the caller retries
 * after a 5xx or a timeout, so an earlier attempt may have succeeded although its answer was lost: when
 * Graph refuses a write (400/409), the relationship is read back and a refusal that only says "already
 * done" (the same request already created, already locked, already terminating, the group already
 * assigned) counts as success; any other refusal becomes the GDAP error that says why.
 */
import { AppError } from '../../core/errors.ts';
import type { GdapRelationship } from '../../core/events/directory.port.ts';
import type { CallContext } from '../../core/relationships/partner-center.port.ts';
import { assertAutoExtendAllowed, isGuid, validateNewRelationship, validateRoles, type GdapAdmin, type NewGdapRelationship } from '../../core/restoration/gdap.port.ts';
import { fixedRequest, type ApiCaller } from '../partner-center/api-caller.ts';
import { HttpStatusError } from '../partner-center/call-errors.ts';
import type { PageRequest } from '../partner-center/next-page.ts';
import { toAppError } from '../partner-center/to-app-error.ts';
import { readAccessAssignment, readAccessAssignmentPage, readCustomerPage, readRequestStatus, toAccessAssignmentBody, toCreateRelationshipBody, uniqueRoles, type AccessAssignmentRecord } from './graph-admin-wire.ts';
import { toGraphNextRequest } from './graph-next-link.ts';
import { readGdapRelationshipPage, readGdapRelationshipWithEtag } from './graph-wire.ts';
import { PAGE_SIZE, RELATIONSHIP_ID, RELATIONSHIPS_PATH, type GraphClient } from './graph.client.ts';

export const CUSTOMERS_PATH = '/v1.0/tenantRelationships/delegatedAdminCustomers';
const ONE = `${RELATIONSHIPS_PATH}/{id}`;
const REQUESTS = `${ONE}/requests`;
const ASSIGNMENTS = `${ONE}/accessAssignments`;
const AUTO_EXTEND = 'P180D';
/** Statuses in which a terminate request has nothing left to do. */
const ENDING = new Set(['terminationRequested', 'terminating', 'terminated']);

export function createGdapAdminWith(caller: ApiCaller, graph: GraphClient): GdapAdmin {
  /** A request on one relationship: the logged path names the route, not the id. */
  function on(relationshipId: string, suffix: '' | '/requests' | '/accessAssignments', template: string): PageRequest {
    return { ...fixedRequest(`${RELATIONSHIPS_PATH}/${relationshipId.toLowerCase()}${suffix}`), path: template };
  }

  function checkRelationshipId(relationshipId: string, context: CallContext, path: string): void {
    if (typeof relationshipId !== 'string' || !RELATIONSHIP_ID.test(relationshipId)) {
      throw caller.fail(new AppError('PARTNER_CENTER.BAD_REQUEST', { message: 'The GDAP relationship id is not {guid}-{guid}' }), context, path);
    }
  }

  /** The user's input was wrong: no call was made, so nothing is logged as a failed call. */
  function refuse(error: unknown, context: CallContext): AppError {
    return toAppError(error, context);
  }

  /** Every page of a Graph collection, following `@odata.nextLink` on the same collection only. */
  async function readAll<T>(first: PageRequest, collectionPath: string, read: (body: unknown, path: string) => { items: T[]; nextLink?: string }, context: CallContext): Promise<T[]> {
    const items: T[] = [];
    let request = first;
    const seen = new Set<string>([request.pathAndQuery]);
    for (;;) {
      const page = await caller.perform({ request, auth: 'app-user', read }, context);
      items.push(...page.items);
      if (!page.nextLink) return items;
      try {
        request = { ...toGraphNextRequest(page.nextLink, caller.baseUrl, collectionPath, seen), path: first.path };
      } catch (error) {
        throw caller.fail(error, context, first.path);
      }
    }
  }

  function getWithEtag(relationshipId: string, context: CallContext) {
    return caller.perform({ request: on(relationshipId, '', ONE), auth: 'app-user', read: readGdapRelationshipWithEtag }, context);
  }

  /**
   * Graph refused a write on this relationship: read it back. `done` says whether its status means the
   * write already happened; otherwise the refusal is explained by the status, or stays what Graph said.
   */
  async function explainRefusal(refusal: AppError, relationshipId: string, context: CallContext, done: (status: string) => boolean): Promise<void> {
    let current: GdapRelationship;
    try {
      current = await graph.getGdapRelationship(relationshipId, context);
    } catch {
      throw refusal;
    }
    if (done(current.status)) return;
    throw statusError(current.status, refusal, context);
  }

  async function findByName(displayName: string, context: CallContext): Promise<GdapRelationship | undefined> {
    const wanted = displayName.toLowerCase();
    for await (const page of graph.listGdapRelationships(context)) {
      const found = page.find((relationship) => relationship.displayName.toLowerCase() === wanted);
      if (found) return found;
    }
    return undefined;
  }

  /** A refused create: our own earlier attempt (same customer and roles, never locked) is the answer; another relationship with that name is NAME_TAKEN. */
  async function explainCreateRefusal(refusal: AppError, input: NewGdapRelationship, context: CallContext) {
    let existing: GdapRelationship | undefined;
    try {
      existing = await findByName(input.displayName, context);
    } catch {
      throw refusal;
    }
    if (!existing) throw refusal;
    if (existing.status === 'created' && existing.customer?.tenantId === input.customerTenantId.toLowerCase() && sameSet(existing.roles, input.roles)) {
      return getWithEtag(existing.id, context);
    }
    throw gdapError('GDAP.NAME_TAKEN', `A GDAP relationship named like this already exists (${existing.id})`, context, refusal, { name: input.displayName });
  }

  async function request(relationshipId: string, action: 'lockForApproval' | 'terminate', context: CallContext): Promise<void> {
    checkRelationshipId(relationshipId, context, REQUESTS);
    const done = action === 'lockForApproval' ? (status: string) => status === 'approvalPending' : (status: string) => ENDING.has(status);
    let status: string | undefined;
    try {
      status = await caller.perform({ method: 'POST', request: on(relationshipId, '/requests', REQUESTS), auth: 'app-user', body: { action }, read: readRequestStatus }, context);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return explainRefusal(error, relationshipId, context, done);
    }
    if (status === 'failed') {
      const failed = gdapError('PARTNER_CENTER.BAD_REQUEST', `Graph accepted the ${action} request but reports it failed`, context);
      return explainRefusal(failed, relationshipId, context, done);
    }
  }

  async function findAssignment(relationshipId: string, securityGroupId: string, context: CallContext): Promise<AccessAssignmentRecord | undefined> {
    const all = await readAll(on(relationshipId, '/accessAssignments', ASSIGNMENTS), `${RELATIONSHIPS_PATH}/${relationshipId.toLowerCase()}/accessAssignments`, (body, path) => {
      const page = readAccessAssignmentPage(body, path);
      return { items: page.assignments, ...(page.nextLink ? { nextLink: page.nextLink } : {}) };
    }, context);
    return all.find((assignment) => assignment.securityGroupId === securityGroupId.toLowerCase() && assignment.status !== 'deleted' && assignment.status !== 'deleting');
  }

  return {
    async createRelationship(input, context) {
      try {
        validateNewRelationship(input);
      } catch (error) {
        throw refuse(error, context);
      }
      try {
        return await caller.perform({ method: 'POST', request: fixedRequest(RELATIONSHIPS_PATH), auth: 'app-user', body: toCreateRelationshipBody(input), read: readGdapRelationshipWithEtag }, context);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        return explainCreateRefusal(error, input, context);
      }
    },

    lockForApproval: (relationshipId, context) => request(relationshipId, 'lockForApproval', context),
    terminate: (relationshipId, context) => request(relationshipId, 'terminate', context),
    getRelationship: (relationshipId, context) => graph.getGdapRelationship(relationshipId, context),

    async enableAutoExtend(relationshipId, context) {
      checkRelationshipId(relationshipId, context, ONE);
      // Two rounds at most: a 412 means it changed since our read (or a retried PATCH already happened).
      for (let round = 1; ; round++) {
        const current = await getWithEtag(relationshipId, context);
        if (current.autoExtendDuration === AUTO_EXTEND) return current;
        try {
          assertAutoExtendAllowed(current.roles);
        } catch (error) {
          throw refuse(error, context);
        }
        const headers: Record<string, string> = current.etag ? { 'If-Match': current.etag } : {};
        try {
          await caller.perform({ method: 'PATCH', request: { ...on(relationshipId, '', ONE), headers }, auth: 'app-user', body: { autoExtendDuration: AUTO_EXTEND }, read: () => undefined }, context);
          return await graph.getGdapRelationship(relationshipId, context);
        } catch (error) {
          if (isStatus(error, 412) && round < 2) continue;
          if (isRefusal(error)) await explainRefusal(error, relationshipId, context, () => false);
          throw error;
        }
      }
    },

    async listRelationshipsOf(customerTenantId, context) {
      if (!isGuid(customerTenantId)) throw caller.fail(new AppError('PARTNER_CENTER.BAD_REQUEST', { message: 'The customer tenant id is not a GUID' }), context, RELATIONSHIPS_PATH);
      const tenantId = customerTenantId.toLowerCase();
      const filter = encodeURIComponent(`customer/tenantId eq '${tenantId}'`);
      const relationships = await readAll(fixedRequest(RELATIONSHIPS_PATH, `$filter=${filter}`), RELATIONSHIPS_PATH, (body, path) => {
        const page = readGdapRelationshipPage(body, path);
        return { items: page.relationships, ...(page.nextLink ? { nextLink: page.nextLink } : {}) };
      }, context);
      // The filter is Graph's; a relationship of another customer must still never be reported as this one's.
      return relationships.filter((relationship) => relationship.customer?.tenantId === tenantId);
    },

    async createAccessAssignment(relationshipId, input, context) {
      checkRelationshipId(relationshipId, context, ASSIGNMENTS);
      try {
        validateRoles(input?.roles);
        if (!isGuid(input.securityGroupId)) throw new AppError('PARTNER_CENTER.BAD_REQUEST', { message: 'The security group id is not a GUID' });
      } catch (error) {
        throw refuse(error, context);
      }
      let refusal: AppError;
      try {
        const created = await caller.perform({ method: 'POST', request: on(relationshipId, '/accessAssignments', ASSIGNMENTS), auth: 'app-user', body: toAccessAssignmentBody(input), read: readAccessAssignment }, context);
        return { id: created.id, status: created.status };
      } catch (error) {
        if (!isRefusal(error)) throw error;
        refusal = error;
      }
      await explainRefusal(refusal, relationshipId, context, (status) => status === 'active');
      // Active, yet refused: an earlier attempt may already have assigned this group.
      const existing = await findAssignment(relationshipId, input.securityGroupId, context).catch(() => undefined);
      if (existing) return { id: existing.id, status: existing.status };
      throw refusal;
    },

    async listDelegatedAdminCustomers(context) {
      return readAll(fixedRequest(CUSTOMERS_PATH, `$top=${PAGE_SIZE}`), CUSTOMERS_PATH, (body, path) => {
        const page = readCustomerPage(body, path);
        return { items: page.customers, ...(page.nextLink ? { nextLink: page.nextLink } : {}) };
      }, context);
    },
  };
}

/** Graph said no (400 Bad Request or 409 Conflict): the request reached it and was refused as such. */
function isRefusal(error: unknown): error is AppError {
  return isStatus(error, 400) || isStatus(error, 409);
}

function isStatus(error: unknown, status: number): error is AppError {
  return error instanceof AppError && error.cause instanceof HttpStatusError && error.cause.status === status;
}

function statusError(status: string, refusal: AppError, context: CallContext): AppError {
  if (status === 'expired') return gdapError('GDAP.EXPIRED', 'The GDAP relationship has expired and cannot be revived', context, refusal);
  return gdapError('GDAP.WRONG_STATUS', `The GDAP relationship is ${status}`, context, refusal, { status });
}

function gdapError(code: string, message: string, context: CallContext, cause?: unknown, params: Record<string, string | number> = {}): AppError {
  return new AppError(code, { message, ...(cause ? { cause } : {}), expected: true, params: { ...params, correlationId: context.correlationId } });
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = uniqueRoles(a);
  const right = new Set(uniqueRoles(b));
  return left.length === right.size && left.every((role) => right.has(role));
}
