import type { CallContext, Customer } from '../relationships/partner-center.port.ts';

/**
 * What the event side (enrichment, reconciliation) reads from Partner Center and Microsoft Graph.
 * Implemented by src/integrations (live and against the simulator: same code, other URLs).
 */

/** Graph `delegatedAdminRelationship` status values (partner-center.md §7). */
export type GdapStatus =
  | 'created'
  | 'approvalPending'
  | 'approved'
  | 'activating'
  | 'active'
  | 'expiring'
  | 'expired'
  | 'terminationRequested'
  | 'terminating'
  | 'terminated';

export interface GdapRelationship {
  /** `{guid}-{guid}` */
  id: string;
  displayName: string;
  status: GdapStatus;
  /** The customer's tenant id and name; absent while a request has no customer yet. */
  customer?: { tenantId: string; displayName: string };
  /** Entra role template ids (accessDetails.unifiedRoles[].roleDefinitionId). */
  roles: string[];
  createdDateTime?: string;
  activatedDateTime?: string;
  endDateTime?: string;
  /** `PT0S` (off) or `P180D`: extended by 180 days at the end, so no expiry warning is needed. */
  autoExtendDuration?: string;
}

/** One Partner Center audit record (`GET /v1/auditrecords`), reduced to what the bot uses. */
export interface AuditRecord {
  id: string;
  /** Lower case, e.g. `dap_admin_relationship_terminated` (DAP removed); see AUDIT_OPERATIONS in the integration. */
  operationType: string;
  customerId?: string;
  customerName?: string;
  /** Lower case, e.g. `partner_customer_dap`, `customer`. */
  resourceType?: string;
  /** ISO-8601 */
  operationDate: string;
}

export interface PartnerDirectory {
  getCustomer(customerId: string, context: CallContext): Promise<Customer>;
  /** Every customer, page by page, following the continuation headers. */
  listCustomers(context: CallContext): AsyncIterable<Customer[]>;
  /** Customers whose company name (or domain) starts with `prefix`, case-insensitive: Partner Center's own filter, first page. */
  searchCustomers(field: 'companyName' | 'domain', prefix: string, context: CallContext): Promise<Customer[]>;
  /** Graph `GET /v1.0/tenantRelationships/delegatedAdminRelationships`, following `@odata.nextLink`. */
  listGdapRelationships(context: CallContext): AsyncIterable<GdapRelationship[]>;
  getGdapRelationship(relationshipId: string, context: CallContext): Promise<GdapRelationship>;
  /** Audit records between two instants (ISO-8601), page by page. */
  listAuditRecords(startDate: string, endDate: string, context: CallContext): AsyncIterable<AuditRecord[]>;
  /**
   * The audit record an event's `AuditUri` points at. The caller has already checked that the URI is
   * https on the Partner Center API host; the client sends only its path to its own configured base URL.
   */
  getAuditRecord(auditUri: string, context: CallContext): Promise<AuditRecord>;
}
