/**
 * Partner Center's customer filter (`GET /v1/customers?size=…&filter={"Field":"CompanyName","Value":"…",
 * "Operator":"starts_with"}`): case-insensitive prefix match on the company name or the domain, one page.
 */
import type { CustomerDirectory, SimulatedCustomer } from './seed.ts';

const FIELDS: Record<string, (customer: SimulatedCustomer) => string> = {
  CompanyName: (customer) => customer.companyName,
  Domain: (customer) => customer.domain,
};
const SCAN_PAGE = 1_000;

/** The filter's matches, or a message saying what is wrong with it (answered as Partner Center's 400). */
export function searchCustomers(customers: CustomerDirectory, rawFilter: string, size: number): SimulatedCustomer[] | string {
  let filter: unknown;
  try {
    filter = JSON.parse(rawFilter);
  } catch {
    return 'The filter is not valid JSON.';
  }
  const { Field, Value, Operator } = (filter ?? {}) as Record<string, unknown>;
  const read = typeof Field === 'string' && Object.hasOwn(FIELDS, Field) ? FIELDS[Field] : undefined;
  if (!read) return 'The filter field must be CompanyName or Domain.';
  if (Operator !== 'starts_with') return 'The filter operator must be starts_with.';
  if (typeof Value !== 'string' || Value.length === 0) return 'The filter value must be a non-empty string.';
  const prefix = Value.toLowerCase();
  const found: SimulatedCustomer[] = [];
  let cursor: number | undefined = 0;
  while (cursor !== undefined && found.length < size) {
    const page = customers.page(cursor, SCAN_PAGE);
    found.push(...page.items.filter((customer) => read(customer).toLowerCase().startsWith(prefix)));
    cursor = page.nextCursor;
  }
  return found.slice(0, size);
}
