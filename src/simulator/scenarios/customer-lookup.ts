/**
 * Finding the customer a scenario names: a tenant id, a domain, or a company name (exact, else a unique
 * part of it), the way a person types it on the command line.
 */
import type { CustomerDirectory, SimulatedCustomer } from '../seed.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE = 1_000;

export type Lookup = { found: SimulatedCustomer } | { ambiguous: SimulatedCustomer[] } | { missing: true };

export function isTenantId(value: string): boolean {
  return GUID.test(value);
}

export function lookUpCustomer(customers: CustomerDirectory, query: string): Lookup {
  const wanted = query.trim().toLowerCase();
  if (isTenantId(wanted)) {
    const customer = customers.find(wanted);
    return customer ? { found: customer } : { missing: true };
  }
  const partial: SimulatedCustomer[] = [];
  for (const customer of everyCustomer(customers)) {
    if (customer.domain.toLowerCase() === wanted || customer.companyName.toLowerCase() === wanted) return { found: customer };
    if (customer.companyName.toLowerCase().includes(wanted)) partial.push(customer);
  }
  if (partial.length === 1 && partial[0]) return { found: partial[0] };
  return partial.length > 1 ? { ambiguous: partial.slice(0, 5) } : { missing: true };
}

function* everyCustomer(customers: CustomerDirectory): Generator<SimulatedCustomer> {
  let cursor: number | undefined = 0;
  while (cursor !== undefined) {
    const page: { items: SimulatedCustomer[]; nextCursor?: number } = customers.page(cursor, PAGE);
    yield* page.items;
    cursor = page.nextCursor;
  }
}
