import type { Store } from '../ports.ts';
import type { DomainEvent } from './partner-center-event.ts';

/**
 * What the partner has already been told, by fact rather than by delivery: "customer X accepted",
 * "relationship R was approved". A webhook and the reconciliation poll describe the same fact with
 * different bodies, so this, not the webhook dedupe key, keeps the second one from notifying again.
 */
export interface FactLedger {
  isKnown(fact: string): Promise<boolean>;
  remember(facts: readonly string[]): Promise<void>;
}

/** Long enough to outlive any re-delivery or poll; a fact older than this may be told again. */
const FACT_TTL_MS = 400 * 24 * 60 * 60_000;

export function createFactLedger(store: Store): FactLedger {
  const facts = store.namespace<number>('facts');
  return {
    isKnown: async (fact) => (await facts.get(fact)) !== undefined,
    async remember(keys) {
      await Promise.all(keys.map((key) => facts.set(key, Date.now(), FACT_TTL_MS)));
    },
  };
}

/** The fact an event states, if it is one that both webhooks and reconciliation can report. */
export function factOf(event: DomainEvent): string | undefined {
  const customerId = event.customer?.id ?? event.customerId;
  switch (event.kind) {
    case 'accepted':
    case 'accepted-indirect':
      return customerId ? `accepted:${customerId}` : undefined;
    case 'gdap-approved':
    case 'gdap-activated':
      // Approval and activation are one step for the partner: whichever is heard first tells it.
      return event.relationshipId ? `gdap-active:${event.relationshipId}` : undefined;
    case 'admin-removed':
    case 'admin-removed-by-microsoft':
      // One removal per customer and day: the webhook and the audit log name the same removal.
      return customerId ? `dap-removed:${customerId}:${dayOf(event.changedAt)}` : undefined;
    case 'gdap-terminated':
    case 'gdap-expired':
      return event.relationshipId ? `${event.kind}:${event.relationshipId}` : undefined;
    default:
      return undefined;
  }
}

function dayOf(iso: string | undefined): string {
  const time = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(time) ? 'unknown-day' : new Date(time).toISOString().slice(0, 10);
}
