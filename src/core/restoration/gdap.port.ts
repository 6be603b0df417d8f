/**
 * What restoring admin rights needs from GDAP (Microsoft Graph v1.0 `/tenantRelationships/…`,
 * partner-center.md §7): request a relationship, lock it for the customer's approval, give a partner
 * security group its roles once it is active, terminate it, and read what exists. Implemented by
 * src/integrations/graph (live and against the simulator: same code, other URLs).
 *
 * The rules Graph enforces are checked here first (`validateNewRelationship`), so a request the service
 * would refuse is never sent and the user learns exactly what to change.
 */
import { AppError } from '../errors.ts';
import type { GdapRelationship } from '../events/directory.port.ts';
import type { CallContext } from '../relationships/partner-center.port.ts';

/** Entra's Global Administrator role template id: never combined with auto-extend. */
export const GLOBAL_ADMINISTRATOR_ROLE = '62e90394-69f5-4237-9190-012177145e10';
export const MAX_DISPLAY_NAME_LENGTH = 50;
export const MIN_DURATION_DAYS = 1;
/** Two years. */
export const MAX_DURATION_DAYS = 730;

/** `PT0S`: no auto-extension; `P180D`: extended by 180 days at the end (not with Global Administrator). */
export type AutoExtendDuration = 'PT0S' | 'P180D';

export interface NewGdapRelationship {
  /** ≤ 50 characters, unique across the partner's relationships. */
  displayName: string;
  customerTenantId: string;
  customerName?: string;
  /** Entra role template ids (GUIDs). */
  roles: string[];
  /** ISO-8601 days, `P1D`…`P730D`. */
  duration: string;
  autoExtendDuration: AutoExtendDuration;
}

export interface AccessAssignmentInput {
  /** The partner's security group (object id) whose members get the roles. */
  securityGroupId: string;
  /** A subset of the relationship's roles. */
  roles: string[];
}

/** Graph `delegatedAdminAccessAssignmentStatus`. */
export type AccessAssignmentStatus = 'pending' | 'active' | 'deleting' | 'deleted' | 'error';

export interface AccessAssignment {
  id: string;
  status: AccessAssignmentStatus;
}

/** A customer with an active GDAP relationship (Graph `delegatedAdminCustomer`). */
export interface DelegatedAdminCustomer {
  tenantId: string;
  displayName: string;
}

export interface GdapAdmin {
  /** `POST /delegatedAdminRelationships`: the new relationship, status `created`, with its ETag when Graph gives one. */
  createRelationship(input: NewGdapRelationship, context: CallContext): Promise<GdapRelationship & { etag?: string }>;
  /** `{"action":"lockForApproval"}`: status becomes `approvalPending`; send the customer `approvalLink(id)`. */
  lockForApproval(relationshipId: string, context: CallContext): Promise<void>;
  /** `{"action":"terminate"}`: status becomes `terminationRequested`, then `terminated`. */
  terminate(relationshipId: string, context: CallContext): Promise<void>;
  getRelationship(relationshipId: string, context: CallContext): Promise<GdapRelationship>;
  /**
   * `PATCH` with `If-Match` and `{"autoExtendDuration":"P180D"}`: the relationship is extended by 180 days
   * at its end from now on. Refused (GDAP.AUTO_EXTEND_WITH_GLOBAL_ADMIN) when it includes Global Administrator.
   */
  enableAutoExtend(relationshipId: string, context: CallContext): Promise<GdapRelationship>;
  /** Every relationship (any status) with this customer. */
  listRelationshipsOf(customerTenantId: string, context: CallContext): Promise<GdapRelationship[]>;
  /** Only on an `active` relationship; the assignment starts `pending` and becomes `active`. */
  createAccessAssignment(relationshipId: string, input: AccessAssignmentInput, context: CallContext): Promise<AccessAssignment>;
  /** Customers with an active relationship, every page. */
  listDelegatedAdminCustomers(context: CallContext): Promise<DelegatedAdminCustomer[]>;
}

const APPROVAL_LINK_BASE = 'https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAYS = /^P(\d{1,4})D$/;

/** Where the customer's Global Administrator approves the relationship. */
export function approvalLink(relationshipId: string): string {
  return `${APPROVAL_LINK_BASE}${encodeURIComponent(relationshipId)}`;
}

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/** A GDAP relationship id: `{guid}-{guid}`. */
export function isRelationshipId(value: unknown): value is string {
  return typeof value === 'string' && value.length === 73 && GUID.test(value.slice(0, 36)) && value[36] === '-' && GUID.test(value.slice(37));
}

/** `P90D` → 90; undefined for anything but whole days. */
export function durationInDays(duration: string): number | undefined {
  const match = DAYS.exec(duration);
  return match ? Number(match[1]) : undefined;
}

/** Throws the AppError the user should see when Graph would refuse `input`; returns quietly otherwise. */
export function validateNewRelationship(input: NewGdapRelationship): void {
  const name = typeof input.displayName === 'string' ? input.displayName : '';
  if (name.trim() === '' || name.length > MAX_DISPLAY_NAME_LENGTH) {
    throw new AppError('GDAP.INVALID_NAME', { message: `The display name must have 1 to ${MAX_DISPLAY_NAME_LENGTH} characters`, params: { max: MAX_DISPLAY_NAME_LENGTH } });
  }
  const days = typeof input.duration === 'string' ? durationInDays(input.duration) : undefined;
  if (days === undefined || days < MIN_DURATION_DAYS || days > MAX_DURATION_DAYS) {
    throw new AppError('GDAP.INVALID_DURATION', { message: `The duration must be P${MIN_DURATION_DAYS}D…P${MAX_DURATION_DAYS}D`, params: { min: MIN_DURATION_DAYS, max: MAX_DURATION_DAYS } });
  }
  validateRoles(input.roles);
  if (input.autoExtendDuration !== 'PT0S' && input.autoExtendDuration !== 'P180D') {
    throw new AppError('PARTNER_CENTER.BAD_REQUEST', { message: 'autoExtendDuration must be PT0S or P180D' });
  }
  if (input.autoExtendDuration === 'P180D') assertAutoExtendAllowed(input.roles);
  if (!isGuid(input.customerTenantId)) throw new AppError('PARTNER_CENTER.BAD_REQUEST', { message: 'The customer tenant id is not a GUID' });
  if (input.customerName !== undefined && typeof input.customerName !== 'string') throw new AppError('PARTNER_CENTER.BAD_REQUEST', { message: 'The customer name is not a string' });
}

/** Throws when Microsoft would refuse auto-extend for these roles (Global Administrator among them). */
export function assertAutoExtendAllowed(roles: readonly string[]): void {
  if (roles.some((role) => role.toLowerCase() === GLOBAL_ADMINISTRATOR_ROLE)) {
    throw new AppError('GDAP.AUTO_EXTEND_WITH_GLOBAL_ADMIN', { message: 'Auto-extend is not allowed with the Global Administrator role', expected: true });
  }
}

/** At least one role, each an Entra role template id (GUID). */
export function validateRoles(roles: unknown): void {
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isGuid)) {
    throw new AppError('GDAP.INVALID_ROLES', { message: 'Give at least one role, each as an Entra role template id (GUID)' });
  }
}
