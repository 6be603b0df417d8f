/**
 * The simulator's GDAP relationships (Graph `delegatedAdminRelationship`), seeded for a few sample customers
 * so every state the bot reacts to exists from the start: active, active but ending within 14 days,
 * waiting for the customer's approval, and long expired. Dates are relative to the clock at (re)seeding.
 *
 * Relationships also move on their own, on the simulator's clock (so a fake clock drives them): a request
 * nobody approved expires 90 days after it was created, an active one expires at its end date (or is
 * extended by 180 days when it auto-extends), a termination request is done by the next read, and an
 * access assignment goes from pending to active by the next read. Every read settles these first.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/ports.ts';
import type { GdapStatus } from '../core/events/directory.port.ts';
import { advance, createAccessAssignments, type AccessAssignmentInput, type GdapRefusal, type SimulatedAccessAssignment } from './gdap-lifecycle.ts';
import { SAMPLE_CUSTOMERS } from './seed.ts';

export { isGdapRefusal, type AccessAssignmentInput, type GdapRefusal, type SimulatedAccessAssignment } from './gdap-lifecycle.ts';

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
  /** `PT0S` (the default) or `P180D`. */
  autoExtendDuration?: 'PT0S' | 'P180D';
  createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime?: string;
  endDateTime?: string;
}

export type GdapInput = Pick<SimulatedGdapRelationship, 'customer'> & Partial<Omit<SimulatedGdapRelationship, 'customer'>>;

/** What `POST /delegatedAdminRelationships` asks for, already checked for shape. */
export interface NewRelationshipRequest {
  displayName: string;
  duration: string;
  autoExtendDuration: 'PT0S' | 'P180D';
  customer: { tenantId: string; displayName: string };
  roles: string[];
}

export interface GdapDirectory {
  /** Oldest first, as created. */
  list(): SimulatedGdapRelationship[];
  find(id: string): SimulatedGdapRelationship | undefined;
  /** Seeds and scenarios: no rules checked. */
  add(input: GdapInput): SimulatedGdapRelationship;
  /** Applies `changes` and stamps lastModifiedDateTime; undefined when there is no such relationship. */
  update(id: string, changes: Partial<Omit<SimulatedGdapRelationship, 'id'>>): SimulatedGdapRelationship | undefined;
  /** The API's create: status `created`; refused when the display name is taken. */
  create(request: NewRelationshipRequest): SimulatedGdapRelationship | GdapRefusal;
  /** `lockForApproval`: created → approvalPending. */
  lockForApproval(id: string): SimulatedGdapRelationship | GdapRefusal;
  /** The customer approves: approvalPending → active, ending after its duration. */
  approve(id: string): SimulatedGdapRelationship | GdapRefusal;
  /** `PATCH autoExtendDuration` on an active (or not yet locked) relationship; never P180D with Global Administrator. */
  setAutoExtend(id: string, autoExtendDuration: 'PT0S' | 'P180D'): SimulatedGdapRelationship | GdapRefusal;
  /** `terminate`: active → terminationRequested (terminated by the next read). */
  requestTermination(id: string): SimulatedGdapRelationship | GdapRefusal;
  /** Only on an active relationship, with a subset of its roles, one live assignment per security group. */
  addAccessAssignment(relationshipId: string, input: AccessAssignmentInput): SimulatedAccessAssignment | GdapRefusal;
  /** Oldest first; undefined when there is no such relationship. */
  accessAssignments(relationshipId: string): SimulatedAccessAssignment[] | undefined;
  /** Customers with at least one active relationship, in the order their first one was created. */
  delegatedAdminCustomers(): { tenantId: string; displayName: string }[];
  reset(): void;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
export const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
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
  const assignments = createAccessAssignments(clock);
  const index = (id: string) => relationships.findIndex((relationship) => relationship.id === id.toLowerCase());
  const iso = (epochMs: number) => new Date(epochMs).toISOString();

  function update(id: string, changes: Partial<Omit<SimulatedGdapRelationship, 'id'>>, at = clock.now()): SimulatedGdapRelationship | undefined {
    const position = index(id);
    const current = relationships[position];
    if (!current) return undefined;
    const updated = { ...current, ...changes, id: current.id, lastModifiedDateTime: iso(at) };
    relationships[position] = updated;
    return updated;
  }

  /** Brings every relationship and assignment up to the clock (see the file comment). */
  function settle(): void {
    const now = clock.now();
    relationships = relationships.map((relationship) => advance(relationship, now));
    assignments.settle((relationshipId) => relationships[index(relationshipId)]?.status);
  }

  function transition(id: string, from: GdapStatus, change: (relationship: SimulatedGdapRelationship) => Partial<SimulatedGdapRelationship>): SimulatedGdapRelationship | GdapRefusal {
    settle();
    const relationship = relationships[index(id)];
    if (!relationship) return { status: 404, message: `The delegatedAdminRelationship ${id} was not found.` };
    if (relationship.status !== from) return { status: 400, message: `The delegatedAdminRelationship is ${relationship.status}; this action needs it ${from}.` };
    return update(id, change(relationship)) ?? relationship;
  }

  return {
    list() {
      settle();
      return [...relationships];
    },
    find(id) {
      settle();
      return relationships[index(id)];
    },
    add(input) {
      const now = iso(clock.now());
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
    update: (id, changes) => update(id, changes),
    create(request) {
      settle();
      const name = request.displayName.toLowerCase();
      if (relationships.some((relationship) => relationship.displayName.toLowerCase() === name)) {
        return { status: 400, message: `A delegatedAdminRelationship with the display name '${request.displayName}' already exists.` };
      }
      const now = iso(clock.now());
      const relationship: SimulatedGdapRelationship = { ...request, id: newRelationshipId(request.customer.tenantId), status: 'created', createdDateTime: now, lastModifiedDateTime: now };
      relationships.push(relationship);
      return relationship;
    },
    lockForApproval: (id) => transition(id, 'created', () => ({ status: 'approvalPending' })),
    approve: (id) =>
      transition(id, 'approvalPending', (relationship) => {
        const now = clock.now();
        return { status: 'active', activatedDateTime: iso(now), endDateTime: iso(now + durationDays(relationship.duration) * DAY_MS) };
      }),
    requestTermination: (id) => transition(id, 'active', () => ({ status: 'terminationRequested' })),
    setAutoExtend(id, autoExtendDuration) {
      settle();
      const relationship = relationships[index(id)];
      if (!relationship) return { status: 404, message: `The delegatedAdminRelationship ${id} was not found.` };
      if (relationship.status !== 'active' && relationship.status !== 'created') return { status: 400, message: `The delegatedAdminRelationship is ${relationship.status}; autoExtendDuration can only change while it is created or active.` };
      if (autoExtendDuration === 'P180D' && relationship.roles.includes(GLOBAL_ADMINISTRATOR)) return { status: 400, message: 'Auto-extend is not supported for relationships that include the Global Administrator role.' };
      return update(id, { autoExtendDuration }) ?? relationship;
    },
    addAccessAssignment(relationshipId, input) {
      settle();
      const relationship = relationships[index(relationshipId)];
      if (!relationship) return { status: 404, message: `The delegatedAdminRelationship ${relationshipId} was not found.` };
      return assignments.add(relationship, input);
    },
    accessAssignments(relationshipId) {
      settle();
      const relationship = relationships[index(relationshipId)];
      return relationship ? assignments.of(relationship.id) : undefined;
    },
    delegatedAdminCustomers() {
      settle();
      const customers = new Map<string, { tenantId: string; displayName: string }>();
      for (const relationship of relationships) {
        if (relationship.status === 'active' && !customers.has(relationship.customer.tenantId)) customers.set(relationship.customer.tenantId, { ...relationship.customer });
      }
      return [...customers.values()];
    },
    reset() {
      relationships = seed(clock.now());
      assignments.reset();
    },
  };
}

/** `P90D` → 90 (730 for anything else, as before). */
export function durationDays(duration: string): number {
  return Number(/^P(\d+)D$/.exec(duration)?.[1] ?? 730);
}
