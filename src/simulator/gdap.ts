/**
 * The simulator's GDAP relationships (Graph `delegatedAdminRelationship`), seeded for a few sample customers
 * so every state the bot reacts to exists from the start: active, active but ending within 14 days,
 * waiting for the customer's approval, and long expired. Dates are relative to the clock at (re)seeding.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/ports.ts';
import type { GdapStatus } from '../core/events/directory.port.ts';
import { SAMPLE_CUSTOMERS } from './seed.ts';

export interface SimulatedGdapRelationship {
  /** `{guid}-{guid}` */
  id: string;
  displayName: string;
  status: GdapStatus;
  customer: { tenantId: string; displayName: string };
  /** Entra role template ids. */
  roles: string[];
  /** ISO-8601, `P1D`…`P730D` */
  duration: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime?: string;
  endDateTime?: string;
}

export type GdapInput = Pick<SimulatedGdapRelationship, 'customer'> & Partial<Omit<SimulatedGdapRelationship, 'customer'>>;

export interface GdapDirectory {
  /** Oldest first, as created. */
  list(): SimulatedGdapRelationship[];
  find(id: string): SimulatedGdapRelationship | undefined;
  add(input: GdapInput): SimulatedGdapRelationship;
  /** Applies `changes` and stamps lastModifiedDateTime; undefined when there is no such relationship. */
  update(id: string, changes: Partial<Omit<SimulatedGdapRelationship, 'id'>>): SimulatedGdapRelationship | undefined;
  reset(): void;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
export const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const DEFAULT_ROLES = [GLOBAL_READER, HELPDESK_ADMINISTRATOR];

/** Seed ids, fixed so tests and demos can name them. */
export const SEEDED_GDAP = {
  active: '6f1c2b7e-3d4a-4e5f-9a8b-1c2d3e4f5a60-4b2a6e33-8791-4386-bd2b-0d55baf25039',
  expiringSoon: '2a9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d61-c2f4d3a8-1e5b-4f7c-9a0d-6b8e2f1c3d47',
  approvalPending: '9c8b7a6f-5e4d-4c3b-a2a1-0f9e8d7c6b62-1a6f3c9d-2b8e-4d5a-8f7c-3e9b1d4a6c20',
  activeLongTerm: '4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b63-3d9f6a2b-7c1e-4b5d-8a3f-9e2c6b4d1a78',
  expired: '8e7f6a5b-4c3d-4e2f-9a1b-0c9d8e7f6a64-6a4e9b3c-1d7f-4e2a-8c5b-7f3d1a9e4c66',
} as const;

function customerNamed(index: number): { tenantId: string; displayName: string } {
  const customer = SAMPLE_CUSTOMERS[index];
  if (!customer) throw new Error(`no sample customer ${index}`);
  return { tenantId: customer.id, displayName: customer.companyName };
}

function seed(now: number): SimulatedGdapRelationship[] {
  const at = (days: number) => new Date(now + days * DAY_MS).toISOString();
  const base = { roles: DEFAULT_ROLES, duration: 'P730D' };
  return [
    { ...base, id: SEEDED_GDAP.active, displayName: 'Mueller Maschinenbau Support', status: 'active', customer: customerNamed(0), createdDateTime: at(-100), activatedDateTime: at(-99), lastModifiedDateTime: at(-99), endDateTime: at(631) },
    { ...base, id: SEEDED_GDAP.expiringSoon, displayName: 'Contoso Helpdesk', status: 'active', customer: customerNamed(1), createdDateTime: at(-721), activatedDateTime: at(-720), lastModifiedDateTime: at(-720), endDateTime: at(10) },
    { ...base, id: SEEDED_GDAP.approvalPending, displayName: 'Fabrikam Onboarding', status: 'approvalPending', customer: customerNamed(3), createdDateTime: at(-2), lastModifiedDateTime: at(-2) },
    { ...base, id: SEEDED_GDAP.activeLongTerm, displayName: 'Stadtwerke Musterstadt Betrieb', status: 'active', customer: customerNamed(6), createdDateTime: at(-365), activatedDateTime: at(-364), lastModifiedDateTime: at(-364), endDateTime: at(366) },
    { ...base, id: SEEDED_GDAP.expired, displayName: 'Tailspin Toys 2023', status: 'expired', customer: customerNamed(9), duration: 'P365D', createdDateTime: at(-400), activatedDateTime: at(-396), lastModifiedDateTime: at(-31), endDateTime: at(-31) },
  ];
}

/** A fresh `{guid}-{guid}` id: a new relationship GUID followed by the customer's tenant id, as Microsoft's often are. */
export function newRelationshipId(customerTenantId: string): string {
  return `${randomUUID()}-${customerTenantId.toLowerCase()}`;
}

export function createGdapDirectory(clock: Clock): GdapDirectory {
  let relationships = seed(clock.now());
  const index = (id: string) => relationships.findIndex((relationship) => relationship.id === id.toLowerCase());
  return {
    list: () => [...relationships],
    find: (id) => relationships[index(id)],
    add(input) {
      const now = new Date(clock.now()).toISOString();
      const relationship: SimulatedGdapRelationship = {
        status: 'approvalPending',
        displayName: `${input.customer.displayName} GDAP`.slice(0, 50),
        roles: DEFAULT_ROLES,
        duration: 'P730D',
        createdDateTime: now,
        lastModifiedDateTime: now,
        ...input,
        id: (input.id ?? newRelationshipId(input.customer.tenantId)).toLowerCase(),
      };
      if (index(relationship.id) !== -1) throw new Error(`relationship ${relationship.id} already exists`);
      relationships.push(relationship);
      return relationship;
    },
    update(id, changes) {
      const at = index(id);
      const current = relationships[at];
      if (!current) return undefined;
      const updated = { ...current, ...changes, id: current.id, lastModifiedDateTime: new Date(clock.now()).toISOString() };
      relationships[at] = updated;
      return updated;
    },
    reset() {
      relationships = seed(clock.now());
    },
  };
}
