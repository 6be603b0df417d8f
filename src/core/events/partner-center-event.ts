import { createHash } from 'node:crypto';
import type { NotificationKind } from '../notifications/subscriptions.ts';

/** The webhook body as Partner Center sends it (PascalCase keys). */
export interface PartnerCenterWebhookBody {
  EventName?: unknown;
  ResourceUri?: unknown;
  ResourceName?: unknown;
  AuditUri?: unknown;
  ResourceChangeUtcDate?: unknown;
}

export type DomainEventKind =
  | 'accepted'
  | 'accepted-indirect'
  | 'admin-approved'
  | 'admin-removed'
  | 'admin-removed-by-microsoft'
  | 'gdap-approved'
  | 'gdap-activated'
  | 'gdap-terminated'
  | 'gdap-expired'
  | 'access-assignment-created'
  | 'access-assignment-activated'
  | 'access-assignment-updated'
  | 'access-assignment-deleted'
  /** Reconciliation only: a GDAP relationship ends within 30, 14 or 7 days. */
  | 'gdap-expiring'
  /** The restoration playbook: the customer approved and the access assignments exist. */
  | 'access-restored'
  | 'test'
  | 'unknown';

export interface DomainEvent {
  kind: DomainEventKind;
  /** Who should hear about it; undefined for test and unknown events. */
  notification?: NotificationKind;
  eventName: string;
  /** Same for re-deliveries of the same fact: there is no event id, so the fields are hashed. */
  dedupeKey: string;
  changedAt?: string;
  customerId?: string;
  relationshipId?: string;
  accessAssignmentId?: string;
  /** Only when it is https on the Partner Center API host; anything else is dropped (SSRF). */
  auditUri?: string;
  /** Set by reconciliation, which already read the customer: no second read needed. */
  customer?: { id: string; name?: string; domain?: string };
  /** Reconciliation named the customer of an earlier DAP event (its event id) that named none. */
  resolves?: string;
  /** `gdap-expiring`: the threshold crossed (30, 14 or 7) and the relationship's end. */
  expiresInDays?: number;
  endDateTime?: string;
  /** Where the event came from: a webhook or the reconciliation poll. */
  source?: 'webhook' | 'reconciliation';
}

const KINDS: Record<string, [DomainEventKind, NotificationKind | undefined]> = {
  'reseller-relationship-accepted-by-customer': ['accepted', 'accepted'],
  'indirect-reseller-relationship-accepted-by-customer': ['accepted-indirect', 'accepted'],
  'dap-admin-relationship-approved': ['admin-approved', 'gdap'],
  'dap-admin-relationship-terminated': ['admin-removed', 'removed'],
  'dap-admin-relationship-terminated-by-microsoft': ['admin-removed-by-microsoft', 'removed'],
  'granular-admin-relationship-approved': ['gdap-approved', 'gdap'],
  'granular-admin-relationship-activated': ['gdap-activated', 'gdap'],
  'granular-admin-relationship-terminated': ['gdap-terminated', 'gdap'],
  'granular-admin-relationship-expired': ['gdap-expired', 'gdap'],
  'granular-admin-access-assignment-created': ['access-assignment-created', 'gdap'],
  'granular-admin-access-assignment-activated': ['access-assignment-activated', 'gdap'],
  'granular-admin-access-assignment-updated': ['access-assignment-updated', 'gdap'],
  'granular-admin-access-assignment-deleted': ['access-assignment-deleted', 'gdap'],
  'test-created': ['test', undefined],
};

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const CUSTOMER_PATH = new RegExp(`/v1/customers/(${GUID})$`, 'i');
/** `…/auditrecords/{record guid}_{customer tenant id}_{event}_{ticks}`: the customer is named in the URI. */
const AUDIT_CUSTOMER = new RegExp(`/auditrecords/${GUID}_(${GUID})_`, 'i');
const RELATIONSHIP_PATH = new RegExp(`/granularAdminRelationships/(${GUID}-${GUID})(?:/accessAssignments/([0-9a-f-]{36}))?$`, 'i');

/**
 * A verified webhook body → the domain event. Every field is a hint (Partner Center re-delivers, reorders
 * and sometimes leaves fields null): the customer or relationship is read again before anyone is told.
 * URIs are trusted only when they are https on the Partner Center API host.
 */
export function toDomainEvent(body: PartnerCenterWebhookBody, apiHost: string): DomainEvent {
  const eventName = typeof body.EventName === 'string' ? body.EventName : '';
  const [kind, notification] = KINDS[eventName.toLowerCase()] ?? ['unknown', undefined];
  const resource = toTrustedUrl(body.ResourceUri, apiHost);
  const audit = toTrustedUrl(body.AuditUri, apiHost);
  const relationship = resource ? RELATIONSHIP_PATH.exec(resource.pathname) : null;
  return {
    kind,
    notification,
    eventName,
    dedupeKey: toDedupeKey(body),
    changedAt: typeof body.ResourceChangeUtcDate === 'string' ? body.ResourceChangeUtcDate : undefined,
    customerId: (resource ? CUSTOMER_PATH.exec(resource.pathname)?.[1] : audit ? AUDIT_CUSTOMER.exec(audit.pathname)?.[1] : undefined)?.toLowerCase(),
    relationshipId: relationship?.[1]?.toLowerCase(),
    accessAssignmentId: relationship?.[2]?.toLowerCase(),
    auditUri: audit?.href,
  };
}

/** SHA-256 over the four fields that identify a delivery (the signature carries no timestamp or id). */
export function toDedupeKey(body: PartnerCenterWebhookBody): string {
  const parts = [body.EventName, body.ResourceUri, body.ResourceChangeUtcDate, body.AuditUri].map((value) => (typeof value === 'string' ? value : ''));
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

function toTrustedUrl(value: unknown, apiHost: string): URL | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    const trusted = url.protocol === 'https:' && url.hostname.toLowerCase() === apiHost.toLowerCase() && !url.username && !url.password && (url.port === '' || url.port === '443');
    return trusted ? url : undefined;
  } catch {
    return undefined;
  }
}
