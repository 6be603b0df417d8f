/**
 * How simulated GDAP relationships and their access assignments move with time (partner-center.md §7):
 * unapproved requests expire after 90 days, active relationships expire at their end date unless they
 * auto-extend by 180 days, a termination request ends the relationship, and an access assignment goes
 * from pending to active — or is deleted with its relationship. An expired relationship never comes back.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/ports.ts';
import type { SimulatedGdapRelationship } from './gdap.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
export const UNAPPROVED_LIFETIME_MS = 90 * DAY_MS;
const AUTO_EXTENSION_MS = 180 * DAY_MS;

/** A write Graph would refuse: the HTTP status and Graph's message. */
export interface GdapRefusal {
  status: 400 | 404 | 409;
  message: string;
}

export function isGdapRefusal(value: object): value is GdapRefusal {
  return 'message' in value && !('id' in value);
}

export type AccessAssignmentState = 'pending' | 'active' | 'deleting' | 'deleted' | 'error';

export interface SimulatedAccessAssignment {
  id: string;
  relationshipId: string;
  status: AccessAssignmentState;
  securityGroupId: string;
  roles: string[];
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface AccessAssignmentInput {
  securityGroupId: string;
  roles: string[];
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** The relationship as it is at `now`: the same object when nothing changed. */
export function advance(relationship: SimulatedGdapRelationship, now: number): SimulatedGdapRelationship {
  switch (relationship.status) {
    case 'created':
    case 'approvalPending': {
      const expiresAt = Date.parse(relationship.createdDateTime) + UNAPPROVED_LIFETIME_MS;
      if (!(now >= expiresAt)) return relationship;
      return { ...relationship, status: 'expired', endDateTime: iso(expiresAt), lastModifiedDateTime: iso(expiresAt) };
    }
    case 'active': {
      let end = Date.parse(relationship.endDateTime ?? '');
      if (Number.isNaN(end) || now < end) return relationship;
      if (relationship.autoExtendDuration !== 'P180D') return { ...relationship, status: 'expired', lastModifiedDateTime: iso(end) };
      while (end <= now) end += AUTO_EXTENSION_MS;
      return { ...relationship, endDateTime: iso(end), lastModifiedDateTime: iso(now) };
    }
    case 'terminationRequested':
      return { ...relationship, status: 'terminated', endDateTime: iso(now), lastModifiedDateTime: iso(now) };
    default:
      return relationship;
  }
}

const ENDED = new Set(['expired', 'terminated']);

export function createAccessAssignments(clock: Clock) {
  let assignments: SimulatedAccessAssignment[] = [];

  return {
    add(relationship: SimulatedGdapRelationship, input: AccessAssignmentInput): SimulatedAccessAssignment | GdapRefusal {
      if (relationship.status !== 'active') return { status: 400, message: `The delegatedAdminRelationship is ${relationship.status}; access can only be assigned while it is active.` };
      const roles = input.roles.map((role) => role.toLowerCase());
      const foreign = roles.filter((role) => !relationship.roles.includes(role));
      if (foreign.length) return { status: 400, message: `The roles ${foreign.join(', ')} are not part of the delegatedAdminRelationship.` };
      const groupId = input.securityGroupId.toLowerCase();
      const live = assignments.find((assignment) => assignment.relationshipId === relationship.id && assignment.securityGroupId === groupId && assignment.status !== 'deleted');
      if (live) return { status: 409, message: `An access assignment for the security group ${groupId} already exists.` };
      const now = iso(clock.now());
      const assignment: SimulatedAccessAssignment = { id: randomUUID(), relationshipId: relationship.id, status: 'pending', securityGroupId: groupId, roles: [...new Set(roles)], createdDateTime: now, lastModifiedDateTime: now };
      assignments.push(assignment);
      return assignment;
    },
    of(relationshipId: string): SimulatedAccessAssignment[] {
      return assignments.filter((assignment) => assignment.relationshipId === relationshipId);
    },
    /** Pending ones become active while their relationship is; all are deleted once it has ended. */
    settle(statusOf: (relationshipId: string) => string | undefined): void {
      const now = iso(clock.now());
      assignments = assignments.map((assignment) => {
        const status = statusOf(assignment.relationshipId);
        if (status && ENDED.has(status) && assignment.status !== 'deleted') return { ...assignment, status: 'deleted', lastModifiedDateTime: now };
        if (status === 'active' && assignment.status === 'pending') return { ...assignment, status: 'active', lastModifiedDateTime: now };
        return assignment;
      });
    },
    reset(): void {
      assignments = [];
    },
  };
}
