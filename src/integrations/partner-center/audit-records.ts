/**
 * Partner Center audit records (`GET /v1/auditrecords`, and the single record an event's AuditUri names):
 * wire shape, mapping, and the operation types the bot acts on.
 */
import { z } from 'zod';
import type { AuditRecord } from '../../core/events/directory.port.ts';
import { pageLinksSchema, readWire } from './wire.ts';

/**
 * `operationType` values from Partner Center's "Auditing resources" reference (the documented list ends
 * with `dap_admin_relationship_approved`, `dap_admin_relationship_terminated`). The record for a customer
 * removing DAP has resourceType `partner_customer_dap`. Microsoft documents no separate value for its own
 * 90-day removal; the simulator records that one with the same operation type (unconfirmed).
 */
export const AUDIT_OPERATIONS = {
  dapApproved: 'dap_admin_relationship_approved',
  dapRemoved: 'dap_admin_relationship_terminated',
  relationshipRemoved: 'remove_partner_customer_relationship',
  customerAdded: 'add_customer',
} as const;

export const AUDIT_RECORDS_PATH = '/v1/auditrecords';
/** Where an AuditUri points (`/auditactivity/v1/auditrecords/{guid}_{customerTenantId}_{event}_{ticks}`). */
export const AUDIT_RECORD_PATH_PREFIX = '/auditactivity/v1/auditrecords/';
const AUDIT_RECORD_ID = /^[A-Za-z0-9_.-]{1,300}$/;

const auditRecordSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1).nullish(),
  customerName: z.string().nullish(),
  resourceType: z.string().nullish(),
  operationType: z.string().min(1),
  operationDate: z.string().min(1),
});

export const auditRecordPageSchema = z.object({ items: z.array(auditRecordSchema), links: pageLinksSchema });
export type AuditRecordPage = z.infer<typeof auditRecordPageSchema>;

export function toAuditRecord(item: z.infer<typeof auditRecordSchema>): AuditRecord {
  return {
    id: item.id,
    operationType: item.operationType.toLowerCase(),
    operationDate: item.operationDate,
    ...(item.customerId ? { customerId: item.customerId.toLowerCase() } : {}),
    ...(item.customerName ? { customerName: item.customerName } : {}),
    ...(item.resourceType ? { resourceType: item.resourceType.toLowerCase() } : {}),
  };
}

export function readAuditRecord(value: unknown, path: string): AuditRecord {
  return toAuditRecord(readWire(auditRecordSchema, value, 'partner-center', path));
}

export function readAuditRecordPage(value: unknown, path: string): AuditRecordPage {
  return readWire(auditRecordPageSchema, value, 'partner-center', path);
}

/** `startDate=…&endDate=…&size=…`, or undefined when an instant does not parse (nothing odd reaches the query). */
export function toAuditQuery(startDate: string, endDate: string, size: number): string | undefined {
  if ([startDate, endDate].some((value) => typeof value !== 'string' || Number.isNaN(Date.parse(value)))) return undefined;
  return new URLSearchParams({ startDate, endDate, size: String(size) }).toString();
}

/**
 * The path and query of an AuditUri, to be sent to the configured base: the host the event named is never
 * contacted. Anything but a single audit record path is refused.
 */
export function toAuditRecordPath(auditUri: string): { path: string; pathAndQuery: string } | undefined {
  if (typeof auditUri !== 'string' || auditUri.length > 2048 || !URL.canParse(auditUri)) return undefined;
  const url = new URL(auditUri);
  if (!url.pathname.startsWith(AUDIT_RECORD_PATH_PREFIX)) return undefined;
  const id = url.pathname.slice(AUDIT_RECORD_PATH_PREFIX.length);
  if (!AUDIT_RECORD_ID.test(id) || id.includes('..')) return undefined;
  return { path: `${AUDIT_RECORD_PATH_PREFIX}{id}`, pathAndQuery: `${url.pathname}${url.search}` };
}
