/** What a scenario is, what it needs from the simulator, and what it reports back. */
import type { Clock } from '../../core/ports.ts';
import type { AuditLog } from '../audit-log.ts';
import type { GdapDirectory } from '../gdap.ts';
import type { CustomerDirectory } from '../seed.ts';
import type { DeliveryResult } from '../webhooks/webhook-delivery.ts';
import type { PartnerCenterWebhookEvent, WebhookEventBuilders } from '../webhooks/webhook-events.ts';

export const SCENARIO_NAMES = ['accept', 'accept-indirect', 'remove-admin', 'remove-admin-by-microsoft', 'gdap-approve', 'gdap-terminate', 'gdap-expire'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioCustomer {
  id: string;
  companyName: string;
  domain: string;
}

/** The state change a scenario made and the event that tells about it (before delivery). */
export interface ScenarioOutcome {
  customer: ScenarioCustomer;
  relationshipId?: string;
  auditRecordId?: string;
  event: PartnerCenterWebhookEvent;
}

export interface ScenarioResult extends ScenarioOutcome {
  scenario: ScenarioName;
  delivery: DeliveryResult;
}

export interface ScenarioContext {
  customers: CustomerDirectory;
  gdap: GdapDirectory;
  audit: AuditLog;
  events: WebhookEventBuilders;
  clock: Clock;
}

export type ScenarioErrorReason = 'unknown-scenario' | 'customer-not-found' | 'not-applicable';

/** A scenario that cannot run as asked; the message is meant for the person at the command line. */
export class ScenarioError extends Error {
  constructor(
    readonly reason: ScenarioErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export function isScenarioName(value: string): value is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(value);
}

/** The audit record id is the last segment of the event's AuditUri, so the URI resolves in the simulator. */
export function auditIdOf(event: PartnerCenterWebhookEvent): string | undefined {
  return event.AuditUri ? event.AuditUri.slice(event.AuditUri.lastIndexOf('/') + 1) : undefined;
}
