/**
 * The write side of Graph's GDAP API (v1.0): request bodies as Graph documents them and the answers
 * (`delegatedAdminRelationshipRequest`, `delegatedAdminAccessAssignment`, `delegatedAdminCustomer` pages),
 * validated with zod like the read side.
 */
import { z } from 'zod';
import type { AccessAssignment, AccessAssignmentInput, AccessAssignmentStatus, DelegatedAdminCustomer, NewGdapRelationship } from '../../core/restoration/gdap.port.ts';
import { readWire } from '../partner-center/wire.ts';

const ASSIGNMENT_STATUSES = ['pending', 'active', 'deleting', 'deleted', 'error'] as const satisfies readonly AccessAssignmentStatus[];

const accessAssignmentSchema = z.object({
  id: z.string().min(1),
  status: z.enum(ASSIGNMENT_STATUSES),
  accessContainer: z.object({ accessContainerId: z.string().nullish(), accessContainerType: z.string().nullish() }).nullish(),
});

const accessAssignmentPageSchema = z.object({
  value: z.array(accessAssignmentSchema),
  '@odata.nextLink': z.string().min(1).nullish(),
});

/** Graph's `delegatedAdminRelationshipRequest`; only its status matters (`created`, `succeeded`, `failed`). */
const relationshipRequestSchema = z.object({ status: z.string().nullish() }).nullish();

const customerPageSchema = z.object({
  value: z.array(
    z
      .object({ id: z.string().min(1).nullish(), tenantId: z.string().min(1).nullish(), displayName: z.string().nullish() })
      .refine((item) => Boolean(item.tenantId ?? item.id), { message: 'a customer without tenant id', path: ['tenantId'] }),
  ),
  '@odata.nextLink': z.string().min(1).nullish(),
});

export interface AccessAssignmentRecord extends AccessAssignment {
  securityGroupId?: string;
}

export function toCreateRelationshipBody(input: NewGdapRelationship): Record<string, unknown> {
  return {
    displayName: input.displayName,
    duration: input.duration,
    customer: { tenantId: input.customerTenantId.toLowerCase(), ...(input.customerName ? { displayName: input.customerName } : {}) },
    accessDetails: { unifiedRoles: uniqueRoles(input.roles).map((roleDefinitionId) => ({ roleDefinitionId })) },
    autoExtendDuration: input.autoExtendDuration,
  };
}

export function toAccessAssignmentBody(input: AccessAssignmentInput): Record<string, unknown> {
  return {
    accessContainer: { accessContainerId: input.securityGroupId.toLowerCase(), accessContainerType: 'securityGroup' },
    accessDetails: { unifiedRoles: uniqueRoles(input.roles).map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}

export function uniqueRoles(roles: readonly string[]): string[] {
  return [...new Set(roles.map((role) => role.toLowerCase()))];
}

export function readRequestStatus(value: unknown, path: string): string | undefined {
  return readWire(relationshipRequestSchema, value, 'graph', path)?.status ?? undefined;
}

function toAssignment(item: z.infer<typeof accessAssignmentSchema>): AccessAssignmentRecord {
  const groupId = item.accessContainer?.accessContainerId;
  return { id: item.id, status: item.status, ...(groupId ? { securityGroupId: groupId.toLowerCase() } : {}) };
}

export function readAccessAssignment(value: unknown, path: string): AccessAssignmentRecord {
  return toAssignment(readWire(accessAssignmentSchema, value, 'graph', path));
}

export function readAccessAssignmentPage(value: unknown, path: string): { assignments: AccessAssignmentRecord[]; nextLink?: string } {
  const page = readWire(accessAssignmentPageSchema, value, 'graph', path);
  const nextLink = page['@odata.nextLink'];
  return { assignments: page.value.map(toAssignment), ...(nextLink ? { nextLink } : {}) };
}

export function readCustomerPage(value: unknown, path: string): { customers: DelegatedAdminCustomer[]; nextLink?: string } {
  const page = readWire(customerPageSchema, value, 'graph', path);
  const nextLink = page['@odata.nextLink'];
  const customers = page.value.map((item) => ({ tenantId: (item.tenantId ?? item.id ?? '').toLowerCase(), displayName: item.displayName ?? '' }));
  return { customers, ...(nextLink ? { nextLink } : {}) };
}
