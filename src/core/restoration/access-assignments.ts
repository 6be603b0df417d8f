import type { AccessAssignmentPlan } from './playbook.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GDAP_ACCESS_ASSIGNMENTS: `groupId=roleId+roleId;groupId=roleId` (security group object ids and Entra
 * role template ids). Returns the plans, or the first problem as one readable line.
 */
export function parseAccessAssignments(value: string | undefined): { ok: true; plans: AccessAssignmentPlan[] } | { ok: false; problem: string } {
  const plans: AccessAssignmentPlan[] = [];
  for (const entry of (value ?? '').split(';').map((part) => part.trim()).filter(Boolean)) {
    const [group, roles = ''] = entry.split('=').map((part) => part.trim());
    const roleIds = roles.split('+').map((role) => role.trim()).filter(Boolean);
    if (!group || !GUID.test(group)) return { ok: false, problem: `"${entry}": the security group must be an object id (GUID) before "="` };
    if (roleIds.length === 0 || !roleIds.every((role) => GUID.test(role))) return { ok: false, problem: `"${entry}": give role template ids (GUIDs) after "=", joined with "+"` };
    plans.push({ securityGroupId: group, roles: roleIds });
  }
  return { ok: true, plans };
}
