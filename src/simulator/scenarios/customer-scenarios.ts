/**
 * Customer scenarios: a customer accepts the reseller link (direct or indirect) and appears in the customer
 * list; a customer (or Microsoft, after 90 unused days) removes the partner's DAP. The DAP events name no
 * customer, exactly as Partner Center's don't: only the audit record (and the customer's DAP flag) says who.
 */
import { SAMPLE_INDIRECT_RESELLER_ID, type SimulatedCustomer } from '../seed.ts';
import { isTenantId, lookUpCustomer } from './customer-lookup.ts';
import { auditIdOf, ScenarioError, type ScenarioContext, type ScenarioOutcome } from './scenario-types.ts';

const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

export function acceptInvitation(context: ScenarioContext, query: string | undefined, indirect: boolean): ScenarioOutcome {
  if (query) {
    const existing = lookUpCustomer(context.customers, query);
    if ('found' in existing) throw new ScenarioError('not-applicable', `${existing.found.companyName} is already a customer; name a new one, or leave the name out`);
  }
  const customer = context.customers.add({ ...toNewCustomer(context, query), ...(indirect ? { associatedPartnerId: SAMPLE_INDIRECT_RESELLER_ID } : {}) });
  const event = indirect ? context.events.indirectResellerRelationshipAccepted(customer.id) : context.events.resellerRelationshipAccepted(customer.id);
  // Microsoft documents no operation type for an accepted invitation; add_customer is the documented value nearest to it (unconfirmed).
  const auditRecord = context.audit.add({ id: auditIdOf(event), operationType: 'add_customer', resourceType: 'customer', customerId: customer.id, customerName: customer.companyName });
  return { customer: summary(customer), auditRecordId: auditRecord.id, event };
}

export function removeDelegatedAdmin(context: ScenarioContext, query: string | undefined, byMicrosoft: boolean): ScenarioOutcome {
  const customer = query ? findCustomer(context, query) : firstWithDelegatedAccess(context);
  if (customer.allowDelegatedAccess === false) throw new ScenarioError('not-applicable', `${customer.companyName} has no delegated admin rights (DAP) to remove`);
  context.customers.update(customer.id, { allowDelegatedAccess: false });
  const auditRecord = context.audit.add({
    operationType: 'dap_admin_relationship_terminated',
    resourceType: 'partner_customer_dap',
    customerId: customer.id,
    customerName: customer.companyName,
    resourceNewValue: JSON.stringify({ CustomerId: customer.id, AllowDelegatedAccess: false }),
    ...(byMicrosoft ? { userPrincipalName: 'Microsoft', applicationId: 'Microsoft' } : {}),
  });
  // No ResourceUri and no AuditUri: the bot has to find the customer through the audit log or reconciliation.
  const event = byMicrosoft ? context.events.dapTerminatedByMicrosoft() : context.events.dapTerminated();
  return { customer: summary(customer), auditRecordId: auditRecord.id, event };
}

export function findCustomer(context: ScenarioContext, query: string): SimulatedCustomer {
  const lookup = lookUpCustomer(context.customers, query);
  if ('found' in lookup) return lookup.found;
  if ('ambiguous' in lookup) throw new ScenarioError('customer-not-found', `"${query}" matches several customers: ${lookup.ambiguous.map((customer) => customer.companyName).join(', ')}`);
  throw new ScenarioError('customer-not-found', `no customer "${query}" (give a company name, a domain or a tenant id)`);
}

export function summary(customer: Pick<SimulatedCustomer, 'id' | 'companyName' | 'domain'>) {
  return { id: customer.id, companyName: customer.companyName, domain: customer.domain };
}

function firstWithDelegatedAccess(context: ScenarioContext): SimulatedCustomer {
  const { items } = context.customers.page(0, 500);
  const customer = items.find((candidate) => candidate.allowDelegatedAccess === true) ?? items.find((candidate) => candidate.allowDelegatedAccess !== false);
  if (!customer) throw new ScenarioError('not-applicable', 'no customer has delegated admin rights left to remove');
  return customer;
}

/** From the name, domain or tenant id given, or made up: German and English names in turn, like the seed. */
function toNewCustomer(context: ScenarioContext, query: string | undefined): Pick<SimulatedCustomer, 'companyName' | 'domain'> & { id?: string } {
  const given = query?.trim();
  if (given && DOMAIN.test(given)) return { domain: given.toLowerCase(), companyName: nameFromDomain(given) };
  if (given && !isTenantId(given)) return { companyName: given, domain: freeDomain(context, slug(given)) };
  // Numbered after the customers already there, so names differ from run to run of one simulator.
  const number = context.customers.count() + 1;
  const companyName = number % 2 === 1 ? `Neukunde ${number} GmbH` : `New Customer ${number} Ltd`;
  return { ...(given ? { id: given.toLowerCase() } : {}), companyName, domain: freeDomain(context, slug(companyName)) };
}

function freeDomain(context: ScenarioContext, base: string): string {
  for (let suffix = 0; ; suffix += 1) {
    const domain = `${base}${suffix ? `-${suffix}` : ''}.onmicrosoft.com`;
    if ('missing' in lookUpCustomer(context.customers, domain)) return domain;
  }
}

function slug(name: string): string {
  const ascii = name.toLowerCase().replaceAll('ä', 'ae').replaceAll('ö', 'oe').replaceAll('ü', 'ue').replaceAll('ß', 'ss');
  return ascii.replace(/[^a-z0-9]+/g, '').slice(0, 27) || 'customer';
}

function nameFromDomain(domain: string): string {
  const label = domain.split('.')[0] ?? domain;
  const name = label.charAt(0).toUpperCase() + label.slice(1);
  return domain.toLowerCase().endsWith('.de') ? `${name} GmbH` : `${name} Ltd`;
}
