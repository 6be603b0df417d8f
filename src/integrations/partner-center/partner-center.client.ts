/**
 * The live Partner Center client (also used against the local simulator): the relationship request link,
 * indirect providers, customers and audit records. Headers, retries, the breaker and error handling live
 * in the shared caller (api-caller.ts, partner-center.caller.ts).
 */
import { AppError } from '../../core/errors.ts';
import type { AuditRecord } from '../../core/events/directory.port.ts';
import type { PartnerDirectory } from '../../core/events/directory.port.ts';
import type { CallContext, Customer, IndirectProvider, PartnerCenter } from '../../core/relationships/partner-center.port.ts';
import { fixedRequest, type ApiCaller } from './api-caller.ts';
import { AUDIT_RECORDS_PATH, readAuditRecord, readAuditRecordPage, toAuditQuery, toAuditRecord, toAuditRecordPath } from './audit-records.ts';
import { toNextPageRequest, type PageRequest } from './next-page.ts';
import { createPartnerCenterCaller, type PartnerCenterClientOptions } from './partner-center.caller.ts';
import { customerPageSchema, readCustomer, readRelationshipRequestUrl, readWire, toCustomer, toIndirectProviders, type NextLink } from './wire.ts';

export type { PartnerCenterClientOptions } from './partner-center.caller.ts';

/** The PartnerCenter port plus what the event side reads (audit records). */
export interface PartnerCenterClient extends PartnerCenter, Pick<PartnerDirectory, 'searchCustomers'> {
  /** Audit records between two instants (ISO-8601), page by page, following the continuation headers. */
  listAuditRecords(startDate: string, endDate: string, context: CallContext): AsyncIterable<AuditRecord[]>;
  /** The record an AuditUri names; only its path goes out, to the configured base URL. */
  getAuditRecord(auditUri: string, context: CallContext): Promise<AuditRecord>;
}

interface Page<T> {
  items: T[];
  links?: { next?: NextLink | null } | null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CUSTOMER_PAGE_SIZE = 500;
/** Microsoft's example asks for 50 and documents no maximum: 100 stays well clear of an unknown limit. */
const AUDIT_PAGE_SIZE = 100;

/** Enough matches to choose from in chat; more means the name is too short to be useful. */
const SEARCH_PAGE_SIZE = 20;

export function createPartnerCenterClient(options: PartnerCenterClientOptions): PartnerCenterClient {
  return createPartnerCenterClientWith(createPartnerCenterCaller(options));
}

/** The client on an existing caller, so the registration client and this one share tokens and breaker. */
export function createPartnerCenterClientWith(caller: ApiCaller): PartnerCenterClient {
  const badRequest = (message: string, context: CallContext, path: string) =>
    caller.fail(new AppError('PARTNER_CENTER.BAD_REQUEST', { message, params: { correlationId: context.correlationId } }), context, path);

  /** Every page of a Partner Center collection, following `links.next` with its continuation headers. */
  async function* pages<T>(first: PageRequest, read: (body: unknown, path: string) => Page<T>, context: CallContext): AsyncGenerator<T[]> {
    let request: PageRequest | undefined = first;
    const seen = new Set<string>();
    while (request) {
      const page: Page<T> = await caller.perform({ request, auth: 'app-user-or-app-only', read }, context);
      yield page.items;
      request = page.links?.next ? followNext(page.links.next, seen, first.path, context) : undefined;
    }
  }

  function followNext(next: NextLink, seen: Set<string>, listPath: string, context: CallContext): PageRequest {
    try {
      return toNextPageRequest(next, seen, listPath);
    } catch (error) {
      throw caller.fail(error, context, listPath);
    }
  }

  return {
    // App+User only: Partner Center refuses this call with App-only tokens.
    getRelationshipRequestUrl(context) {
      return caller.perform({ request: fixedRequest('/v1/customers/relationshiprequests'), auth: 'app-user', read: readRelationshipRequestUrl }, context);
    },
    // Both token kinds work here; App+User is preferred (it is the consented identity), App-only keeps it working without consent.
    listIndirectProviders(context): Promise<IndirectProvider[]> {
      return caller.perform({ request: fixedRequest('/v1/relationships', 'relationship_type=IsIndirectResellerOf'), auth: 'app-user-or-app-only', read: toIndirectProviders }, context);
    },
    // Both token kinds work; App-only lets the bot check customers before anyone consented.
    async getCustomer(customerId, context): Promise<Customer> {
      if (typeof customerId !== 'string' || !GUID.test(customerId)) throw badRequest('The customer id is not a GUID', context, '/v1/customers/{id}');
      const path = `/v1/customers/${customerId.toLowerCase()}`;
      return caller.perform({ request: fixedRequest(path), auth: 'app-user-or-app-only', read: readCustomer }, context);
    },
    // Both token kinds work; App-only keeps reconciliation polling alive when the App+User consent lapses.
    async *listCustomers(context) {
      const read = (body: unknown, path: string) => readWire(customerPageSchema, body, 'partner-center', path);
      for await (const items of pages(fixedRequest('/v1/customers', `size=${CUSTOMER_PAGE_SIZE}`), read, context)) yield items.map(toCustomer);
    },
    // Partner Center filters server-side (`starts_with` on CompanyName or Domain): no scan of every customer.
    async searchCustomers(field, prefix, context) {
      const filter = JSON.stringify({ Field: field === 'domain' ? 'Domain' : 'CompanyName', Value: prefix, Operator: 'starts_with' });
      const read = (body: unknown, path: string) => readWire(customerPageSchema, body, 'partner-center', path);
      const page = await caller.perform({ request: fixedRequest('/v1/customers', `size=${SEARCH_PAGE_SIZE}&filter=${encodeURIComponent(filter)}`), auth: 'app-user-or-app-only', read }, context);
      return page.items.map(toCustomer);
    },
    // Both token kinds work (documented); reconciliation reads it to name the customer a DAP event left out.
    async *listAuditRecords(startDate, endDate, context) {
      const query = toAuditQuery(startDate, endDate, AUDIT_PAGE_SIZE);
      if (!query) throw badRequest('The audit date range is not ISO-8601', context, AUDIT_RECORDS_PATH);
      for await (const items of pages(fixedRequest(AUDIT_RECORDS_PATH, query), readAuditRecordPage, context)) yield items.map(toAuditRecord);
    },
    async getAuditRecord(auditUri, context) {
      const target = toAuditRecordPath(auditUri);
      if (!target) throw badRequest('The AuditUri is not a Partner Center audit record', context, '/auditactivity/v1/auditrecords/{id}');
      return caller.perform({ request: { ...target, headers: {} }, auth: 'app-user-or-app-only', read: readAuditRecord }, context);
    },
  };
}
