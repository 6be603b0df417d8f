/**
 * GDAP scenarios: the customer approves a pending relationship (it goes active), or a relationship is
 * terminated or expires. The events carry the relationship id; the relationship in Graph shows the rest.
 * A relationship may be named by its id — including one the bot created through Graph — or by its customer.
 */
import { isGdapRefusal, type SimulatedGdapRelationship } from '../gdap.ts';
import { findCustomer, summary } from './customer-scenarios.ts';
import { ScenarioError, type ScenarioContext, type ScenarioOutcome } from './scenario-types.ts';

const RELATIONSHIP_ID = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i;

export function approveGdap(context: ScenarioContext, query: string | undefined): ScenarioOutcome {
  const relationship = query ? pendingFor(context, query) : (context.gdap.list().find((candidate) => candidate.status === 'approvalPending') ?? requestFor(context, firstWithoutActive(context)));
  const approved = context.gdap.approve(relationship.id);
  if (isGdapRefusal(approved)) throw new ScenarioError('not-applicable', notWaiting(relationship));
  return outcome(context, approved, context.events.granularAdminRelationship('approved', relationship.id));
}

export function terminateGdap(context: ScenarioContext, query: string | undefined): ScenarioOutcome {
  const relationship = query ? activeFor(context, query) : firstActive(context, (a, b) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime));
  const ended = context.gdap.update(relationship.id, { status: 'terminated', endDateTime: iso(context.clock.now()) });
  return outcome(context, ended ?? relationship, context.events.granularAdminRelationship('terminated', relationship.id));
}

/** Without a name: the active relationship that ends soonest (the seeded one within 14 days). */
export function expireGdap(context: ScenarioContext, query: string | undefined): ScenarioOutcome {
  const relationship = query ? activeFor(context, query) : firstActive(context, (a, b) => Date.parse(a.endDateTime ?? '') - Date.parse(b.endDateTime ?? ''));
  const ended = context.gdap.update(relationship.id, { status: 'expired', endDateTime: iso(context.clock.now()) });
  return outcome(context, ended ?? relationship, context.events.granularAdminRelationship('expired', relationship.id));
}

function notWaiting(relationship: SimulatedGdapRelationship): string {
  if (relationship.status === 'created') return `relationship ${relationship.id} is created but not locked for approval yet (lockForApproval first)`;
  return `relationship ${relationship.id} is ${relationship.status}, not waiting for approval`;
}

function outcome(context: ScenarioContext, relationship: SimulatedGdapRelationship, event: ScenarioOutcome['event']): ScenarioOutcome {
  const customer = context.customers.find(relationship.customer.tenantId);
  return {
    customer: customer ? summary(customer) : { id: relationship.customer.tenantId, companyName: relationship.customer.displayName, domain: '' },
    relationshipId: relationship.id,
    event,
  };
}

/** A relationship id, or the customer's pending relationship — requested for them when there is none. */
function pendingFor(context: ScenarioContext, query: string): SimulatedGdapRelationship {
  if (RELATIONSHIP_ID.test(query.trim())) return byId(context, query);
  const customer = findCustomer(context, query);
  const theirs = context.gdap.list().filter((candidate) => candidate.customer.tenantId === customer.id);
  const pending = theirs.find((candidate) => candidate.status === 'approvalPending');
  if (pending) return pending;
  // A request the partner has not locked yet cannot be approved; requesting another beside it would hide that.
  const unlocked = theirs.find((candidate) => candidate.status === 'created');
  if (unlocked) throw new ScenarioError('not-applicable', notWaiting(unlocked));
  return requestFor(context, customer);
}

function activeFor(context: ScenarioContext, query: string): SimulatedGdapRelationship {
  const relationship = RELATIONSHIP_ID.test(query.trim()) ? byId(context, query) : undefined;
  if (relationship && relationship.status !== 'active') throw new ScenarioError('not-applicable', `relationship ${relationship.id} is ${relationship.status}, not active`);
  if (relationship) return relationship;
  const customer = findCustomer(context, query);
  const active = context.gdap.list().find((candidate) => candidate.customer.tenantId === customer.id && candidate.status === 'active');
  if (!active) throw new ScenarioError('not-applicable', `${customer.companyName} has no active GDAP relationship`);
  return active;
}

function byId(context: ScenarioContext, id: string): SimulatedGdapRelationship {
  const relationship = context.gdap.find(id.trim());
  if (!relationship) throw new ScenarioError('customer-not-found', `no GDAP relationship ${id.trim()}`);
  return relationship;
}

function firstActive(context: ScenarioContext, order: (a: SimulatedGdapRelationship, b: SimulatedGdapRelationship) => number): SimulatedGdapRelationship {
  const [first] = context.gdap.list().filter((candidate) => candidate.status === 'active').sort(order);
  if (!first) throw new ScenarioError('not-applicable', 'no GDAP relationship is active');
  return first;
}

function firstWithoutActive(context: ScenarioContext) {
  const covered = new Set(context.gdap.list().filter((candidate) => candidate.status === 'active').map((candidate) => candidate.customer.tenantId));
  const customer = context.customers.page(0, 500).items.find((candidate) => !covered.has(candidate.id));
  if (!customer) throw new ScenarioError('not-applicable', 'every customer already has an active GDAP relationship');
  return customer;
}

function requestFor(context: ScenarioContext, customer: { id: string; companyName: string }): SimulatedGdapRelationship {
  return context.gdap.add({ customer: { tenantId: customer.id, displayName: customer.companyName }, status: 'approvalPending' });
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
