/**
 * Microsoft Graph's `delegatedAdminRelationship` (v1.0) and its collection page, validated with zod and
 * mapped onto the core's GdapRelationship. A page that does not match is refused as a whole: a half-read
 * page would look like relationships ending.
 */
import { z } from 'zod';
import type { GdapRelationship, GdapStatus } from '../../core/events/directory.port.ts';
import { readWire } from '../partner-center/wire.ts';

const STATUSES = ['created', 'approvalPending', 'approved', 'activating', 'active', 'expiring', 'expired', 'terminationRequested', 'terminating', 'terminated'] as const satisfies readonly GdapStatus[];

const relationshipSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  // An unknown status fails the page rather than being guessed at (Graph documents this list).
  status: z.enum(STATUSES),
  customer: z.object({ tenantId: z.string().nullish(), displayName: z.string().nullish() }).nullish(),
  accessDetails: z.object({ unifiedRoles: z.array(z.object({ roleDefinitionId: z.string().min(1) })).nullish() }).nullish(),
  createdDateTime: z.string().nullish(),
  activatedDateTime: z.string().nullish(),
  endDateTime: z.string().nullish(),
  autoExtendDuration: z.string().nullish(),
});

const relationshipPageSchema = z.object({
  value: z.array(relationshipSchema),
  '@odata.nextLink': z.string().min(1).nullish(),
});

export interface GdapRelationshipPage {
  relationships: GdapRelationship[];
  nextLink?: string;
}

export function toGdapRelationship(item: z.infer<typeof relationshipSchema>): GdapRelationship {
  const tenantId = item.customer?.tenantId;
  return {
    id: item.id.toLowerCase(),
    displayName: item.displayName ?? '',
    status: item.status,
    ...(tenantId ? { customer: { tenantId: tenantId.toLowerCase(), displayName: item.customer?.displayName ?? '' } } : {}),
    roles: (item.accessDetails?.unifiedRoles ?? []).map((role) => role.roleDefinitionId),
    ...(item.createdDateTime ? { createdDateTime: item.createdDateTime } : {}),
    ...(item.activatedDateTime ? { activatedDateTime: item.activatedDateTime } : {}),
    ...(item.endDateTime ? { endDateTime: item.endDateTime } : {}),
    ...(item.autoExtendDuration ? { autoExtendDuration: item.autoExtendDuration } : {}),
  };
}

export function readGdapRelationship(value: unknown, path: string): GdapRelationship {
  return toGdapRelationship(readWire(relationshipSchema, value, 'graph', path));
}

/** One relationship with its `@odata.etag` (what a later If-Match would need), as create and get answer it. */
export function readGdapRelationshipWithEtag(value: unknown, path: string): GdapRelationship & { etag?: string } {
  const item = readWire(relationshipSchema.extend({ '@odata.etag': z.string().min(1).nullish() }), value, 'graph', path);
  const etag = item['@odata.etag'];
  return { ...toGdapRelationship(item), ...(etag ? { etag } : {}) };
}

export function readGdapRelationshipPage(value: unknown, path: string): GdapRelationshipPage {
  const page = readWire(relationshipPageSchema, value, 'graph', path);
  const nextLink = page['@odata.nextLink'];
  return { relationships: page.value.map(toGdapRelationship), ...(nextLink ? { nextLink } : {}) };
}
