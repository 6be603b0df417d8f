import type { Locale, Reply } from '../chat.ts';
import type { Command } from '../commands/command.ts';
import type { GdapRelationship } from '../events/directory.port.ts';
import type { CallContext, Customer } from '../relationships/partner-center.port.ts';
import type { CustomerLedger } from './customer-ledger.ts';
import { runForOneCustomer, type StatusDirectory } from './one-customer.ts';

/** Enough GDAP pages for thousands of relationships; a partner with more sees the first ones. */
const MAX_GDAP_PAGES = 20;

/**
 * `status <customer>`: the customer as Partner Center and Graph describe it now (relationship, GDAP
 * relationships and their end dates) plus what the bot has seen happen to it. Found by tenant id, or by
 * the start of the company name or domain (Partner Center's own filter, so no full scan).
 */
export function createStatusCommand(directory: StatusDirectory, ledger: CustomerLedger): Command {
  return {
    name: 'status',
    key: 'status',
    usage: 'status <customer>',
    aliases: [],
    adminOnly: false,
    run: (context) =>
      runForOneCustomer(directory, context, { command: 'status', usageKey: 'STATUS.USAGE' }, (customer, call) => statusReply(context.locale, customer, directory, ledger, call)),
  };
}

async function statusReply(locale: Locale, customer: Customer, directory: StatusDirectory, ledger: CustomerLedger, call: CallContext): Promise<Reply> {
  const id = customer.id.toLowerCase();
  const [relationships, history] = await Promise.all([gdapOf(directory, id, call), ledger.history(id)]);
  return {
    template: 'customer-status',
    locale,
    data: {
      customer: { id, name: customer.companyName, domain: customer.domain, relationship: customer.relationshipToPartner, indirect: !!customer.associatedPartnerId },
      relationships: relationships.map((relationship) => ({ name: relationship.displayName, status: relationship.status, endDateTime: relationship.endDateTime ?? '' })),
      history: history.slice(-10).reverse().map((entry) => ({ kind: entry.kind, at: entry.at })),
    },
  };
}

async function gdapOf(directory: StatusDirectory, customerId: string, call: CallContext): Promise<GdapRelationship[]> {
  const found: GdapRelationship[] = [];
  let pages = 0;
  for await (const page of directory.listGdapRelationships(call)) {
    found.push(...page.filter((relationship) => relationship.customer?.tenantId.toLowerCase() === customerId));
    if (++pages >= MAX_GDAP_PAGES) break;
  }
  return found;
}
