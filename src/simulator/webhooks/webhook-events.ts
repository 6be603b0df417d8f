/**
 * Builders for the Partner Center webhook events the bot handles (partner-center.md §6), with the wire
 * quirks kept: PascalCase keys, `ResourceUri` null for two DAP events and absent for the third,
 * `ResourceChangeUtcDate` with seven fractional digits and an offset, and an `AuditUri` whose last part
 * is a .NET tick count. GDAP resource URIs follow the domain table's `…/granularAdminRelationships/{id}`
 * under the Partner Center base (the exact host is not documented).
 */
import { randomUUID } from 'node:crypto';

export interface PartnerCenterWebhookEvent {
  EventName: string;
  /** Null for `dap-admin-relationship-approved`/`-terminated`, absent for `-terminated-by-microsoft`. */
  ResourceUri?: string | null;
  ResourceName: string;
  AuditUri: string | null;
  ResourceChangeUtcDate: string;
}

export type GdapRelationshipChange = 'approved' | 'activated' | 'terminated' | 'expired';
export type AccessAssignmentChange = 'created' | 'activated' | 'updated' | 'deleted';

export const PARTNER_CENTER_BASE_URL = 'https://api.partnercenter.microsoft.com';
/** 100 ns ticks between 0001-01-01 and 1970-01-01 (.NET DateTime.Ticks at the Unix epoch). */
const UNIX_EPOCH_TICKS = 621_355_968_000_000_000n;

/** `2026-11-25T10:15:02.1234567+00:00`: milliseconds from the clock, the last four digits sub-millisecond ticks. */
export function formatResourceChangeUtcDate(epochMs: number, subMillisecondTicks = 0): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 23)}${String(subMillisecondTicks % 10_000).padStart(4, '0')}+00:00`;
}

export interface WebhookEventBuilderOptions {
  /** Partner Center base for ResourceUri and AuditUri (the simulator's URL in local mode). */
  baseUrl?: string;
  clock?: () => number;
}

interface EventContext {
  base: string;
  stamp(): { date: string; ticks: bigint };
}

function auditUri(context: EventContext, customerTenantId: string, eventName: string, ticks: bigint): string {
  return `${context.base}/auditactivity/v1/auditrecords/${randomUUID()}_${customerTenantId}_${eventName.replaceAll('-', '')}_${ticks}`;
}

function customerEvent(context: EventContext, EventName: string, customerTenantId: string): PartnerCenterWebhookEvent {
  const { date, ticks } = context.stamp();
  const ResourceUri = `${context.base}/v1/customers/${customerTenantId}`;
  return { EventName, ResourceUri, ResourceName: 'Customer', AuditUri: auditUri(context, customerTenantId, EventName, ticks), ResourceChangeUtcDate: date };
}

/** DAP events name no customer; they carry an AuditUri (naming the customer) only when one is given. */
function dapEvent(context: EventContext, EventName: string, resourceUri: 'null' | 'absent', customerTenantId?: string): PartnerCenterWebhookEvent {
  const { date, ticks } = context.stamp();
  const AuditUri = customerTenantId ? auditUri(context, customerTenantId, EventName, ticks) : null;
  const head = resourceUri === 'null' ? { EventName, ResourceUri: null } : { EventName };
  return { ...head, ResourceName: 'PartnerCustomerDap', AuditUri, ResourceChangeUtcDate: date };
}

function resourceEvent(context: EventContext, EventName: string, ResourceName: string, ResourceUri: string): PartnerCenterWebhookEvent {
  return { EventName, ResourceUri, ResourceName, AuditUri: null, ResourceChangeUtcDate: context.stamp().date };
}

export function createWebhookEventBuilders(options: WebhookEventBuilderOptions = {}) {
  const base = (options.baseUrl ?? PARTNER_CENTER_BASE_URL).replace(/\/+$/, '');
  const clock = options.clock ?? Date.now;
  let sequence = 0;
  // One timestamp per event; the counter keeps two events in the same millisecond distinct, as in real traffic.
  const stamp = (): { date: string; ticks: bigint } => {
    const ms = clock();
    const sub = (sequence += 1) % 10_000;
    return { date: formatResourceChangeUtcDate(ms, sub), ticks: UNIX_EPOCH_TICKS + BigInt(ms) * 10_000n + BigInt(sub) };
  };
  const context: EventContext = { base, stamp };
  const relationships = `${base}/v1/granularAdminRelationships`;
  return {
    testCreated: (correlationId: string = randomUUID()) =>
      resourceEvent(context, 'test-created', 'test', `${base}/webhooks/v1/registration/validationEvents/${correlationId}`),
    resellerRelationshipAccepted: (customerTenantId: string) => customerEvent(context, 'reseller-relationship-accepted-by-customer', customerTenantId),
    indirectResellerRelationshipAccepted: (customerTenantId: string) =>
      customerEvent(context, 'indirect-reseller-relationship-accepted-by-customer', customerTenantId),
    dapApproved: (customerTenantId?: string) => dapEvent(context, 'dap-admin-relationship-approved', 'null', customerTenantId),
    dapTerminated: (customerTenantId?: string) => dapEvent(context, 'dap-admin-relationship-terminated', 'null', customerTenantId),
    dapTerminatedByMicrosoft: (customerTenantId?: string) => dapEvent(context, 'dap-admin-relationship-terminated-by-microsoft', 'absent', customerTenantId),
    granularAdminRelationship: (change: GdapRelationshipChange, relationshipId: string) =>
      resourceEvent(context, `granular-admin-relationship-${change}`, 'GranularAdminRelationship', `${relationships}/${relationshipId}`),
    accessAssignment: (change: AccessAssignmentChange, relationshipId: string, assignmentId: string) =>
      resourceEvent(context, `granular-admin-access-assignment-${change}`, 'GranularAdminAccessAssignment', `${relationships}/${relationshipId}/accessAssignments/${assignmentId}`),
  };
}

export type WebhookEventBuilders = ReturnType<typeof createWebhookEventBuilders>;
