/**
 * The simulator's customers and indirect providers. Twelve hand-written German and English customers,
 * then `generatedCount` more that exist only as an index: they are built when a page or a lookup needs
 * them, so 100,000 customers cost no memory until they are read.
 */
import { randomUUID } from 'node:crypto';

export interface SimulatedCustomer {
  id: string;
  companyName: string;
  domain: string;
  relationshipToPartner: string;
  associatedPartnerId?: string;
  /** DAP flag; Partner Center only shows it on GET by id. */
  allowDelegatedAccess?: boolean;
}

export type CustomerInput = Partial<SimulatedCustomer> & Pick<SimulatedCustomer, 'companyName' | 'domain'>;

export interface SimulatedProvider {
  id: string;
  name: string;
  mpnId: string;
}

/** An indirect reseller that brought two of the sample customers in. */
export const SAMPLE_INDIRECT_RESELLER_ID = '7d4a1b9e-3c2f-4e8a-9b61-0f5d2c8e4a17';

export const SAMPLE_CUSTOMERS: readonly SimulatedCustomer[] = Object.freeze([
  { id: '4b2a6e33-8791-4386-bd2b-0d55baf25039', companyName: 'Müller Maschinenbau GmbH', domain: 'mueller-maschinenbau.de', relationshipToPartner: 'reseller', allowDelegatedAccess: false },
  { id: 'c2f4d3a8-1e5b-4f7c-9a0d-6b8e2f1c3d47', companyName: 'Contoso Ltd', domain: 'contoso.onmicrosoft.com', relationshipToPartner: 'reseller', allowDelegatedAccess: true },
  { id: '9e1d7b52-64a3-4c8f-b2e0-5d7a9c3f1e86', companyName: 'Bäckerei Schmidt KG', domain: 'baeckerei-schmidt.de', relationshipToPartner: 'reseller' },
  { id: '1a6f3c9d-2b8e-4d5a-8f7c-3e9b1d4a6c20', companyName: 'Fabrikam, Inc.', domain: 'fabrikam.com', relationshipToPartner: 'reseller' },
  { id: '5c8b2e71-9d4f-4a3b-a6e2-8f1c7d3b5a94', companyName: 'Schneider & Söhne Logistik GmbH', domain: 'schneider-soehne-logistik.de', relationshipToPartner: 'reseller', associatedPartnerId: SAMPLE_INDIRECT_RESELLER_ID },
  { id: 'e7a3d1f9-5b2c-4e8d-9c6a-2f4b8e1d7c35', companyName: 'Northwind Traders', domain: 'northwindtraders.onmicrosoft.com', relationshipToPartner: 'reseller', associatedPartnerId: SAMPLE_INDIRECT_RESELLER_ID },
  { id: '3d9f6a2b-7c1e-4b5d-8a3f-9e2c6b4d1a78', companyName: 'Stadtwerke Musterstadt AöR', domain: 'stadtwerke-musterstadt.de', relationshipToPartner: 'reseller' },
  { id: 'b5e8c4a1-3f7d-4c2b-9e5a-1d8f3b6c9e02', companyName: 'Adventure Works Cycles', domain: 'adventure-works.com', relationshipToPartner: 'advisor' },
  { id: '8f2c5d9a-6e3b-4a1f-b7d4-4c9e2a5f8b13', companyName: 'Weiß Steuerberatung PartG mbB', domain: 'weiss-steuerberatung.de', relationshipToPartner: 'reseller' },
  { id: '6a4e9b3c-1d7f-4e2a-8c5b-7f3d1a9e4c66', companyName: 'Tailspin Toys', domain: 'tailspintoys.onmicrosoft.com', relationshipToPartner: 'reseller' },
  { id: 'd1b7f3e5-8a2c-4d9e-a4f1-6e2b8c5d3a91', companyName: 'Grün & Partner Architekten GmbH', domain: 'gruen-architekten.de', relationshipToPartner: 'reseller' },
  { id: '2e5a8d4f-9c6b-4f3e-b1a7-8d4c2e9f6b50', companyName: 'Wide World Importers', domain: 'wideworldimporters.com', relationshipToPartner: 'reseller' },
]);

export const SAMPLE_INDIRECT_PROVIDERS: readonly SimulatedProvider[] = Object.freeze([
  { id: 'a9c3e7f1-4b2d-4e6a-8f5c-1b7d3e9a2c48', name: 'Nordwind Distribution GmbH', mpnId: '4812345' },
  { id: 'f4b8d2a6-7e1c-4a9f-b3d5-9c2e6a8f1b37', name: 'Litware Distribution Ltd', mpnId: '5123456' },
]);

const GERMAN_WORDS = ['Handel', 'Bau', 'Technik', 'Logistik', 'Elektro', 'Holz', 'Metall', 'Medien'];
const ENGLISH_WORDS = ['Trading', 'Builders', 'Systems', 'Freight', 'Electric', 'Timber', 'Works', 'Media'];

/** A GUID that encodes `index` in its first group, so lookups need no table. Shaped like a v4 GUID. */
export function toGeneratedCustomerId(index: number): string {
  const mixed = Math.imul(index + 1, 2654435761) >>> 0;
  const hex = (value: number, width: number) => value.toString(16).padStart(width, '0').slice(-width);
  return `${hex(index, 8)}-${hex(mixed >>> 16, 4)}-4${hex(mixed, 3)}-8${hex(mixed >>> 4, 3)}-${hex(mixed, 8)}${hex(index, 4)}`;
}

export function toGeneratedCustomer(index: number): SimulatedCustomer {
  const number = index + 1;
  const german = index % 2 === 0;
  const word = (german ? GERMAN_WORDS : ENGLISH_WORDS)[index % 8] ?? 'Trading';
  return german
    ? { id: toGeneratedCustomerId(index), companyName: `${word} Beispiel ${number} GmbH`, domain: `${word.toLowerCase()}-beispiel-${number}.de`, relationshipToPartner: 'reseller' }
    : { id: toGeneratedCustomerId(index), companyName: `Sample ${word} ${number} Ltd`, domain: `sample-${word.toLowerCase()}-${number}.onmicrosoft.com`, relationshipToPartner: 'reseller' };
}

export interface CustomerDirectory {
  count(): number;
  /** Up to `limit` customers from position `cursor` on; `nextCursor` when more follow. */
  page(cursor: number, limit: number): { items: SimulatedCustomer[]; nextCursor?: number };
  find(id: string): SimulatedCustomer | undefined;
  add(input: CustomerInput): SimulatedCustomer;
  remove(id: string): boolean;
  /** Changes fields of a visible customer (seed customers through an overlay); undefined when there is none. */
  update(id: string, changes: Partial<Omit<SimulatedCustomer, 'id'>>): SimulatedCustomer | undefined;
  reset(): void;
}

/**
 * Positions: samples first, then generated ones, then added ones. A removed seed customer is skipped (not
 * shifted, so cursors stay valid); an added one is dropped from the list. Re-adding a removed seed id
 * appends it, as a customer who accepts again shows up anew.
 */
export function createCustomerDirectory(generatedCount: number): CustomerDirectory {
  const seedCount = SAMPLE_CUSTOMERS.length + generatedCount;
  const samples = new Map(SAMPLE_CUSTOMERS.map((customer) => [customer.id.toLowerCase(), customer]));
  let added = new Map<string, SimulatedCustomer>();
  let addedInOrder: SimulatedCustomer[] = [];
  let removedSeed = new Set<string>();
  // Seed customers are frozen (and generated ones are built on demand): their changes live here.
  let changedSeed = new Map<string, SimulatedCustomer>();
  const totalPositions = () => seedCount + added.size;

  function seedAt(position: number): SimulatedCustomer | undefined {
    if (position < SAMPLE_CUSTOMERS.length) return SAMPLE_CUSTOMERS[position];
    return toGeneratedCustomer(position - SAMPLE_CUSTOMERS.length);
  }

  function visibleAt(position: number): SimulatedCustomer | undefined {
    if (position >= seedCount) return addedInOrder[position - seedCount];
    const customer = seedAt(position);
    if (!customer || removedSeed.has(customer.id.toLowerCase())) return undefined;
    return changedSeed.get(customer.id.toLowerCase()) ?? customer;
  }

  function findSeed(key: string): SimulatedCustomer | undefined {
    if (removedSeed.has(key)) return undefined;
    const changed = changedSeed.get(key);
    if (changed) return changed;
    const sample = samples.get(key);
    if (sample) return sample;
    const index = Number.parseInt(key.slice(0, 8), 16);
    if (!Number.isInteger(index) || index >= generatedCount || toGeneratedCustomerId(index) !== key) return undefined;
    return toGeneratedCustomer(index);
  }

  function nextVisible(from: number): number | undefined {
    for (let position = from; position < totalPositions(); position += 1) if (visibleAt(position)) return position;
    return undefined;
  }

  return {
    count: () => seedCount - removedSeed.size + added.size,
    page(cursor, limit) {
      const items: SimulatedCustomer[] = [];
      let position = nextVisible(cursor);
      while (position !== undefined && items.length < limit) {
        items.push(visibleAt(position) as SimulatedCustomer);
        position = nextVisible(position + 1);
      }
      return position === undefined ? { items } : { items, nextCursor: position };
    },
    find(id) {
      const key = id.toLowerCase();
      return added.get(key) ?? findSeed(key);
    },
    add(input) {
      const customer: SimulatedCustomer = { relationshipToPartner: 'reseller', ...input, id: input.id ?? randomUUID() };
      if (this.find(customer.id)) throw new Error(`customer ${customer.id} already exists`);
      added.set(customer.id.toLowerCase(), customer);
      addedInOrder.push(customer);
      return customer;
    },
    remove(id) {
      const key = id.toLowerCase();
      if (added.delete(key)) {
        addedInOrder = addedInOrder.filter((customer) => customer.id.toLowerCase() !== key);
        return true;
      }
      if (!findSeed(key)) return false;
      removedSeed.add(key);
      return true;
    },
    update(id, changes) {
      const key = id.toLowerCase();
      const addedCustomer = added.get(key);
      if (addedCustomer) {
        Object.assign(addedCustomer, changes, { id: addedCustomer.id });
        return addedCustomer;
      }
      const seedCustomer = findSeed(key);
      if (!seedCustomer) return undefined;
      const changed = { ...seedCustomer, ...changes, id: seedCustomer.id };
      changedSeed.set(key, changed);
      return changed;
    },
    reset() {
      added = new Map();
      addedInOrder = [];
      removedSeed = new Set();
      changedSeed = new Map();
    },
  };
}
