import { randomUUID } from 'node:crypto';
import type { Locale, Reply } from '../chat.ts';
import type { Command } from '../commands/command.ts';
import type { GdapRelationship, PartnerDirectory } from '../events/directory.port.ts';
import { isAppError } from '../errors.ts';
import type { CallContext, Customer } from '../relationships/partner-center.port.ts';
import { toFailureReply } from '../relationships/invitation-reply.ts';
import { errorReply } from '../replies.ts';
import type { CustomerLedger } from './customer-ledger.ts';

export type StatusDirectory = Pick<PartnerDirectory, 'getCustomer' | 'searchCustomers' | 'listGdapRelationships'>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Enough GDAP pages for thousands of relationships; a partner with more sees the first ones. */
const MAX_GDAP_PAGES = 20;
const MAX_CHOICES = 10;

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
    async run({ locale, args }) {
      const query = args.join(' ').trim();
      if (!query) return errorReply(locale, 'STATUS.USAGE');
      const call: CallContext = { locale, correlationId: randomUUID() };
      try {
        const found = await resolveCustomer(directory, query, call);
        if (!found.customer) return found.reply(locale, 'status');
        return await statusReply(locale, found.customer, directory, ledger, call);
      } catch (error) {
        return toFailureReply(locale, error, call.correlationId);
      }
    },
  };
}

/** By tenant id, else by the start of the company name, else of the domain. */
export async function findCustomers(directory: StatusDirectory, query: string, call: CallContext): Promise<Customer[]> {
  if (GUID.test(query)) {
    try {
      return [await directory.getCustomer(query, call)];
    } catch (error) {
      if (isAppError(error) && error.code === 'PARTNER_CENTER.NOT_FOUND') return [];
      throw error;
    }
  }
  const byName = await directory.searchCustomers('companyName', query, call);
  return byName.length > 0 ? byName : directory.searchCustomers('domain', query, call);
}

export type CustomerResolution =
  | { customer: Customer; reply?: undefined }
  /** Nobody or several match: `reply` says so, the choices' buttons running `command <tenant id>`. */
  | { customer?: undefined; reply: (locale: Locale, command: string) => Reply };

/** The one customer `query` means (tenant id, or the start of the name or domain; an exact match wins among several). */
export async function resolveCustomer(directory: StatusDirectory, query: string, call: CallContext): Promise<CustomerResolution> {
  const matches = await findCustomers(directory, query, call);
  if (matches.length === 0) return { reply: (locale) => errorReply(locale, 'STATUS.NOT_FOUND', { detail: query }) };
  const exact = matches.filter((customer) => [customer.companyName, customer.domain, customer.id].some((value) => value.toLowerCase() === query.toLowerCase()));
  const chosen = matches.length === 1 ? matches[0] : exact.length === 1 ? exact[0] : undefined;
  if (chosen) return { customer: chosen };
  return { reply: (locale, command) => choicesReply(locale, query, matches, command) };
}

function choicesReply(locale: Locale, query: string, matches: Customer[], command: string): Reply {
  const choices = matches.slice(0, MAX_CHOICES).map((customer) => ({ id: customer.id, label: `${customer.companyName} (${customer.domain})` }));
  return { template: 'customer-choices', locale, data: { query, command, choices, more: matches.length > MAX_CHOICES }, private: true };
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
