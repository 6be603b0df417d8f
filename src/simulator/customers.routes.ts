/**
 * `/v1/customers…`: the relationship request link, the paged customer list and single customers,
 * in Partner Center's wire format. Paging follows the documented contract exactly: the next page needs
 * `links.next.uri` AND the `MS-ContinuationToken` header; without the header the list restarts at page 1.
 */
import { createContinuationTokens } from './continuation.ts';
import { searchCustomers } from './customer-search.ts';
import type { PartnerCenterRequest } from './partner-center-request.ts';
import type { SimulatedCustomer } from './seed.ts';
import { sendJson, sendPartnerCenterError } from './sim-http.ts';

const MAX_PAGE_SIZE = 500;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createRelationshipRequestUrl(partnerTenantId: string, scheme = 'https'): string {
  return `${scheme}://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=${partnerTenantId}&msppId=0&DAP=false#/BillingAccounts/partner-invitation`;
}

export function createCustomerRoutes(partnerTenantId: string) {
  const continuation = createContinuationTokens();
  const toContinuationToken = (cursor: number, size: number) => continuation.issue({ c: cursor, s: size });

  function readContinuationToken(token: string): { cursor: number; size: number } | undefined {
    const payload = continuation.read(token);
    const { c, s } = payload ?? {};
    return typeof c === 'number' && typeof s === 'number' ? { cursor: c, size: s } : undefined;
  }

  function answerRelationshipRequest(call: PartnerCenterRequest): void {
    if (call.tokenKind !== 'app-user') {
      return sendPartnerCenterError(call.response, 403, 'This operation requires App+User authentication.', call.echoHeaders);
    }
    sendJson(call.response, 200, { url: createRelationshipRequestUrl(partnerTenantId), attributes: { objectType: 'RelationshipRequest' } }, call.echoHeaders);
  }

  function startPosition(call: PartnerCenterRequest): { cursor: number; size: number } | 'invalid' {
    const continuation = call.request.headers['ms-continuationtoken'];
    const seekNext = call.url.searchParams.get('seekOperation') === 'Next';
    if (seekNext && typeof continuation === 'string') return readContinuationToken(continuation) ?? 'invalid';
    if (seekNext) call.state.countPageRestart();
    const size = Number(call.url.searchParams.get('size') ?? MAX_PAGE_SIZE);
    if (!Number.isInteger(size) || size < 1) return 'invalid';
    return { cursor: 0, size: Math.min(size, MAX_PAGE_SIZE) };
  }

  function answerCustomerSearch(call: PartnerCenterRequest, filter: string): void {
    const size = Math.min(Number(call.url.searchParams.get('size') ?? MAX_PAGE_SIZE) || MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const found = searchCustomers(call.state.customers, filter, size);
    if (typeof found === 'string') return sendPartnerCenterError(call.response, 400, found, call.echoHeaders);
    const self = { uri: call.url.pathname + call.url.search, method: 'GET', headers: [] };
    sendJson(call.response, 200, { totalCount: found.length, items: found.map((item) => toWireCustomer(item, false)), links: { self }, attributes: { objectType: 'Collection' } }, call.echoHeaders);
  }

  function answerCustomerPage(call: PartnerCenterRequest): void {
    const filter = call.url.searchParams.get('filter');
    if (filter !== null) return answerCustomerSearch(call, filter);
    const start = startPosition(call);
    if (start === 'invalid') return sendPartnerCenterError(call.response, 400, 'The size or continuation token is invalid.', call.echoHeaders);
    const { items, nextCursor } = call.state.customers.page(start.cursor, start.size);
    const self = { uri: `/v1/customers?size=${start.size}`, method: 'GET', headers: [] };
    const continuationToken = nextCursor === undefined ? undefined : toContinuationToken(nextCursor, start.size);
    const links = continuationToken
      ? { self, next: { uri: `/v1/customers?size=${start.size}&seekOperation=Next`, method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: continuationToken }] } }
      : { self };
    // totalCount counts this page's items, as Partner Center's paged collections do.
    const body = { totalCount: items.length, items: items.map((item) => toWireCustomer(item, false)), links, ...(continuationToken ? { continuationToken } : {}), attributes: { objectType: 'Collection' } };
    sendJson(call.response, 200, body, call.echoHeaders);
  }

  function answerCustomer(call: PartnerCenterRequest, id: string): void {
    if (!GUID.test(id)) return sendPartnerCenterError(call.response, 400, 'The customer id is not a valid GUID.', call.echoHeaders);
    const customer = call.state.customers.find(id);
    if (!customer) return sendPartnerCenterError(call.response, 404, `Customer ${id} was not found.`, call.echoHeaders);
    sendJson(call.response, 200, toWireCustomer(customer, true), call.echoHeaders);
  }

  /** True when the path was a customers route (answered); false to let another route try. */
  return function routeCustomers(call: PartnerCenterRequest): boolean {
    const path = call.url.pathname;
    if (path === '/v1/customers/relationshiprequests') answerRelationshipRequest(call);
    else if (path === '/v1/customers') answerCustomerPage(call);
    else if (path.startsWith('/v1/customers/') && !path.slice('/v1/customers/'.length).includes('/')) answerCustomer(call, decodeURIComponent(path.slice('/v1/customers/'.length)));
    else return false;
    return true;
  };
}

export function toWireCustomer(customer: SimulatedCustomer, detailed: boolean): Record<string, unknown> {
  return {
    id: customer.id,
    commerceId: customer.id,
    companyProfile: { tenantId: customer.id, domain: customer.domain, companyName: customer.companyName, attributes: { objectType: 'CustomerCompanyProfile' } },
    relationshipToPartner: customer.relationshipToPartner,
    ...(customer.associatedPartnerId ? { associatedPartnerId: customer.associatedPartnerId } : {}),
    // Partner Center shows the DAP flag only when a single customer is read.
    ...(detailed ? { allowDelegatedAccess: customer.allowDelegatedAccess ?? false } : {}),
    links: { self: { uri: `/v1/customers/${customer.id}`, method: 'GET', headers: [] } },
    attributes: { objectType: 'Customer' },
  };
}
