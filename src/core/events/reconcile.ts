import { randomUUID } from 'node:crypto';
import type { Clock, Logger, Store } from '../ports.ts';
import type { CallContext, Customer } from '../relationships/partner-center.port.ts';
import type { AuditRecord, GdapRelationship, PartnerDirectory } from './directory.port.ts';
import type { EventRecorder } from './ingest-event.ts';
import type { DomainEvent, DomainEventKind } from './partner-center-event.ts';
import type { UnidentifiedRemovals } from './unidentified-removals.ts';

export interface ReconcilerDependencies {
  directory: Pick<PartnerDirectory, 'listCustomers' | 'listGdapRelationships' | 'listAuditRecords'>;
  store: Store;
  recorder: EventRecorder;
  unidentified: UnidentifiedRemovals;
  clock: Clock;
  log: Logger;
}

export interface ReconcileSummary {
  customers: number;
  relationships: number;
  /** Events recorded (each notifies only if no webhook told the same fact before). */
  events: number;
  /** Removals that named no customer and now do. */
  identified: number;
  /** The first run only takes a snapshot: nothing that already existed is announced. */
  baseline: boolean;
}

interface GdapSnapshotEntry {
  status: string;
  end?: string;
}

/** Audit operation types that mean "delegated admin rights removed" (lower case). */
export const DAP_REMOVED_OPERATIONS: ReadonlySet<string> = new Set(['dap_admin_relationship_terminated', 'dap_admin_relationship_terminated_by_microsoft']);
const ACTIVE = new Set(['approved', 'activating', 'active', 'expiring']);
const TERMINATED = new Set(['terminationrequested', 'terminating', 'terminated']);
const EXPIRY_THRESHOLDS_DAYS = [7, 14, 30];
const DAY_MS = 24 * 60 * 60_000;
/** Audit records show up late: each scan looks back this far before the previous one ended. */
const AUDIT_OVERLAP_MS = 60 * 60_000;
/** How far apart a webhook's time and its audit record's time may be to be the same removal. */
const MATCH_WINDOW_MS = 6 * 60 * 60_000;

/**
 * Compares Partner Center and Graph with the last snapshot and records what changed as the same domain
 * events webhooks produce. Webhooks get lost for good after ten tries; this is how the partner still hears.
 * Facts already told (by a webhook or an earlier poll) are recorded without notifying anyone again.
 */
export function createReconciler(deps: ReconcilerDependencies) {
  const snapshots = deps.store.namespace<unknown>('reconciliation');
  const context = (): CallContext => ({ locale: 'en', correlationId: randomUUID() });
  const isoNow = () => new Date(deps.clock.now()).toISOString();

  async function record(event: Omit<DomainEvent, 'eventName' | 'source'>): Promise<void> {
    await deps.recorder.record({ ...event, eventName: 'reconciliation', source: 'reconciliation' });
  }

  async function reconcileCustomers(): Promise<{ count: number; events: number; baseline: boolean }> {
    const previous = (await snapshots.get('customers')) as string[] | undefined;
    const known = new Set(previous);
    const current: string[] = [];
    const appeared: Customer[] = [];
    for await (const page of deps.directory.listCustomers(context())) {
      for (const customer of page) {
        const id = customer.id.toLowerCase();
        current.push(id);
        if (previous && !known.has(id)) appeared.push(customer);
      }
    }
    for (const customer of appeared) {
      const id = customer.id.toLowerCase();
      await record({
        kind: customer.associatedPartnerId ? 'accepted-indirect' : 'accepted',
        notification: 'accepted',
        dedupeKey: `reconciled:accepted:${id}`,
        customerId: id,
        customer: { id, name: customer.companyName, domain: customer.domain },
        changedAt: isoNow(),
      });
    }
    await snapshots.set('customers', current);
    return { count: current.length, events: appeared.length, baseline: !previous };
  }

  async function reconcileRelationships(): Promise<{ count: number; events: number }> {
    const previous = (await snapshots.get('gdap')) as Record<string, GdapSnapshotEntry> | undefined;
    const current: Record<string, GdapSnapshotEntry> = {};
    let events = 0;
    for await (const page of deps.directory.listGdapRelationships(context())) {
      for (const relationship of page) {
        current[relationship.id] = { status: relationship.status, end: relationship.endDateTime };
        const before = previous ? previous[relationship.id] : undefined;
        for (const event of changesOf(relationship, before, previous !== undefined, deps.clock.now())) {
          await record(event);
          events += 1;
        }
      }
    }
    await snapshots.set('gdap', current);
    return { count: Object.keys(current).length, events };
  }

  async function identifyRemovals(): Promise<{ events: number; identified: number }> {
    const now = deps.clock.now();
    const open = await deps.unidentified.list();
    const cursor = ((await snapshots.get('audit-cursor')) as number | undefined) ?? now - DAY_MS;
    const oldestOpen = open.length ? Date.parse(open[0]?.at ?? '') : Number.NaN;
    const start = Math.min(cursor, Number.isNaN(oldestOpen) ? cursor : oldestOpen) - AUDIT_OVERLAP_MS;
    const removals: AuditRecord[] = [];
    for await (const page of deps.directory.listAuditRecords(new Date(start).toISOString(), new Date(now).toISOString(), context())) {
      removals.push(...page.filter((entry) => DAP_REMOVED_OPERATIONS.has(entry.operationType.toLowerCase()) && entry.customerId));
    }
    removals.sort((a, b) => a.operationDate.localeCompare(b.operationDate));
    let identified = 0;
    for (const removal of removals) {
      const match = open.find((entry) => Math.abs(Date.parse(entry.at) - Date.parse(removal.operationDate)) <= MATCH_WINDOW_MS);
      if (match) open.splice(open.indexOf(match), 1);
      const customerId = (removal.customerId ?? '').toLowerCase();
      await record({
        kind: match?.kind ?? 'admin-removed',
        notification: 'removed',
        dedupeKey: `reconciled:dap-removed:${removal.id}`,
        customerId,
        customer: { id: customerId, name: removal.customerName },
        changedAt: match?.at ?? removal.operationDate,
        resolves: match?.eventId,
      });
      if (match) {
        await deps.unidentified.remove(match.eventId);
        identified += 1;
      }
    }
    await snapshots.set('audit-cursor', now);
    return { events: removals.length, identified };
  }

  return {
    identifyRemovals,
    async reconcileAll(): Promise<ReconcileSummary> {
      const customers = await reconcileCustomers();
      const relationships = await reconcileRelationships();
      const removals = await identifyRemovals();
      return {
        customers: customers.count,
        relationships: relationships.count,
        events: customers.events + relationships.events + removals.events,
        identified: removals.identified,
        baseline: customers.baseline,
      };
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;

/** The events one relationship's change since the last snapshot stands for (none on the first run, except expiry). */
function changesOf(relationship: GdapRelationship, before: GdapSnapshotEntry | undefined, hadSnapshot: boolean, now: number): Omit<DomainEvent, 'eventName' | 'source'>[] {
  const status = relationship.status.toLowerCase();
  const was = before?.status.toLowerCase();
  const base = {
    notification: 'gdap' as const,
    relationshipId: relationship.id.toLowerCase(),
    ...(relationship.customer && { customerId: relationship.customer.tenantId.toLowerCase(), customer: { id: relationship.customer.tenantId.toLowerCase(), name: relationship.customer.displayName } }),
    changedAt: new Date(now).toISOString(),
    endDateTime: relationship.endDateTime,
  };
  const events: Omit<DomainEvent, 'eventName' | 'source'>[] = [];
  const changed = (kind: DomainEventKind) => events.push({ ...base, kind, dedupeKey: `reconciled:${kind}:${base.relationshipId}` });
  if (hadSnapshot && status !== was) {
    if (ACTIVE.has(status) && !ACTIVE.has(was ?? '')) changed('gdap-approved');
    else if (TERMINATED.has(status) && !TERMINATED.has(was ?? '')) changed('gdap-terminated');
    else if (status === 'expired') changed('gdap-expired');
  }
  // An auto-extending relationship does not end: nothing to warn about.
  const autoExtends = relationship.autoExtendDuration !== undefined && relationship.autoExtendDuration !== 'PT0S';
  const threshold = autoExtends ? undefined : expiryThreshold(status, relationship.endDateTime, now);
  if (threshold) {
    const days = Math.max(0, Math.ceil((Date.parse(relationship.endDateTime ?? '') - now) / DAY_MS));
    events.push({ ...base, kind: 'gdap-expiring', notification: 'expiring', dedupeKey: `reconciled:gdap-expiring:${base.relationshipId}:${threshold}`, expiresInDays: days });
  }
  return events;
}

/** The smallest of 7, 14 and 30 days the relationship's end is within, if it is still running. */
function expiryThreshold(status: string, end: string | undefined, now: number): number | undefined {
  if (!ACTIVE.has(status) || !end) return undefined;
  const left = Date.parse(end) - now;
  if (Number.isNaN(left) || left < 0) return undefined;
  return EXPIRY_THRESHOLDS_DAYS.find((days) => left <= days * DAY_MS);
}
