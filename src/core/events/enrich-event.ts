import { randomUUID } from 'node:crypto';
import type { Clock, Logger } from '../ports.ts';
import type { PartnerDirectory } from './directory.port.ts';
import type { DomainEvent } from './partner-center-event.ts';

/** Who an event is about, as far as Partner Center and Graph can tell: the subject of one timeline card. */
export interface StorySubject {
  /** `customer:<tenant id>`; `relationship:<id>` when a GDAP relationship names no customer; `unidentified:<event id>` for a DAP event nobody has named yet. */
  storyKey: string;
  customer?: { id: string; name?: string; domain?: string };
  relationship?: { id: string; displayName?: string; status?: string; roles: string[]; endDateTime?: string };
  /** A DAP event that names no customer: the card says "identifying which" until reconciliation does. */
  identifying?: boolean;
}

export type EnrichmentReader = Pick<PartnerDirectory, 'getCustomer' | 'getGdapRelationship' | 'getAuditRecord'>;

export interface Enricher {
  /** Throws when Partner Center or Graph cannot answer; with `bestEffort` it falls back to the ids it has. */
  subjectOf(event: DomainEvent, eventId: string, options?: { bestEffort?: boolean }): Promise<StorySubject>;
}

const CACHE_MS = 5 * 60_000;
const CACHE_LIMIT = 10_000;

/**
 * Reads the customer or relationship an event is about, once per few minutes per id however many
 * conversations are told (an in-memory cache with single flight: 500 subscribed channels cost one read).
 */
export function createEnricher(directory: EnrichmentReader, clock: Clock, log: Logger): Enricher {
  const cache = new Map<string, { until: number; value: Promise<unknown> }>();

  function cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = clock.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    const value = read();
    cache.set(key, { until: now + CACHE_MS, value });
    // A failed read is not remembered: the next notification asks again.
    value.catch(() => cache.delete(key));
    return value;
  }

  const context = () => ({ locale: 'en' as const, correlationId: randomUUID() });

  async function customerSubject(customerId: string, known?: DomainEvent['customer']): Promise<StorySubject> {
    if (known?.name) return { storyKey: `customer:${customerId}`, customer: { ...known, id: customerId } };
    const customer = await cached(`customer:${customerId}`, () => directory.getCustomer(customerId, context()));
    return { storyKey: `customer:${customerId}`, customer: { id: customerId, name: customer.companyName, domain: customer.domain } };
  }

  async function relationshipSubject(relationshipId: string, known?: DomainEvent['customer']): Promise<StorySubject> {
    const relationship = await cached(`relationship:${relationshipId}`, () => directory.getGdapRelationship(relationshipId, context()));
    const details = { id: relationship.id, displayName: relationship.displayName, status: relationship.status, roles: relationship.roles, endDateTime: relationship.endDateTime };
    const tenantId = relationship.customer?.tenantId.toLowerCase() ?? known?.id;
    if (!tenantId) return { storyKey: `relationship:${relationshipId}`, relationship: details };
    return { storyKey: `customer:${tenantId}`, customer: { id: tenantId, name: relationship.customer?.displayName ?? known?.name }, relationship: details };
  }

  async function read(event: DomainEvent, eventId: string): Promise<StorySubject> {
    const customerId = event.customer?.id ?? event.customerId;
    // GDAP: the relationship names the customer and adds its name and end date to the card.
    if (event.relationshipId) return relationshipSubject(event.relationshipId, event.customer);
    if (customerId) return customerSubject(customerId, event.customer);
    if (event.auditUri) {
      const uri = event.auditUri;
      const record = await cached(`audit:${uri}`, () => directory.getAuditRecord(uri, context()));
      if (record.customerId) return customerSubject(record.customerId.toLowerCase(), { id: record.customerId, name: record.customerName });
    }
    return unidentified(event, eventId);
  }

  return {
    async subjectOf(event, eventId, options = {}) {
      try {
        return await read(event, eventId);
      } catch (error) {
        if (!options.bestEffort) throw error;
        log.warn({ err: error, kind: event.kind, customerId: event.customerId, relationshipId: event.relationshipId }, 'could not read the customer of an event; telling what we know');
        return fallbackSubject(event, eventId);
      }
    },
  };
}

/** Without Partner Center: the ids the event carries, so the notification still goes out. */
function fallbackSubject(event: DomainEvent, eventId: string): StorySubject {
  const customerId = event.customer?.id ?? event.customerId;
  if (customerId) return { storyKey: `customer:${customerId}`, customer: { ...event.customer, id: customerId } };
  if (event.relationshipId) return { storyKey: `relationship:${event.relationshipId}`, relationship: { id: event.relationshipId, roles: [] } };
  return unidentified(event, eventId);
}

/** Only removals are identified later (reconciliation reads the audit log for them); others stay as they are. */
function unidentified(event: DomainEvent, eventId: string): StorySubject {
  const removal = event.kind === 'admin-removed' || event.kind === 'admin-removed-by-microsoft';
  return { storyKey: `unidentified:${eventId}`, ...(removal && { identifying: true }) };
}
