import { randomUUID } from 'node:crypto';
import type { Locale, Reply } from '../chat.ts';
import type { PartnerDirectory } from '../events/directory.port.ts';
import { isAppError } from '../errors.ts';
import type { CallContext, Customer } from '../relationships/partner-center.port.ts';
import { toFailureReply } from '../relationships/invitation-reply.ts';
import { errorReply } from '../replies.ts';

export type StatusDirectory = Pick<PartnerDirectory, 'getCustomer' | 'searchCustomers' | 'listGdapRelationships'>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_CHOICES = 10;

export interface OneCustomerCommand {
  /** The command the choice buttons run with a tenant id (`status`, `history`, `restore`). */
  command: string;
  /** The error shown when no customer was named. */
  usageKey: string;
}

/**
 * What every `<command> <customer>` shares: the usage answer without a customer, the one customer the
 * words mean (nobody: "not found"; several: a private card of choices whose buttons run the command with
 * a tenant id), and a translated failure card with a reference when Partner Center fails.
 */
export async function runForOneCustomer(
  directory: StatusDirectory,
  { locale, args }: { locale: Locale; args: string[] },
  { command, usageKey }: OneCustomerCommand,
  act: (customer: Customer, call: CallContext) => Promise<Reply>,
): Promise<Reply> {
  const query = args.join(' ').trim();
  if (!query) return errorReply(locale, usageKey);
  const call: CallContext = { locale, correlationId: randomUUID() };
  try {
    const matches = await findCustomers(directory, query, call);
    if (matches.length === 0) return errorReply(locale, 'STATUS.NOT_FOUND', { detail: query });
    const chosen = pickOne(matches, query);
    if (!chosen) return choicesReply(locale, query, matches, command);
    return await act(chosen, call);
  } catch (error) {
    return toFailureReply(locale, error, call.correlationId);
  }
}

/** By tenant id, else by the start of the company name, else of the domain. */
async function findCustomers(directory: StatusDirectory, query: string, call: CallContext): Promise<Customer[]> {
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

/** The only match, or among several the only exact one (name, domain or tenant id). */
function pickOne(matches: Customer[], query: string): Customer | undefined {
  if (matches.length === 1) return matches[0];
  const wanted = query.toLowerCase();
  const exact = matches.filter((customer) => [customer.companyName, customer.domain, customer.id].some((value) => value.toLowerCase() === wanted));
  return exact.length === 1 ? exact[0] : undefined;
}

function choicesReply(locale: Locale, query: string, matches: Customer[], command: string): Reply {
  const choices = matches.slice(0, MAX_CHOICES).map((customer) => ({ id: customer.id, label: `${customer.companyName} (${customer.domain})` }));
  return { template: 'customer-choices', locale, data: { query, command, choices, more: matches.length > MAX_CHOICES }, private: true };
}
