/**
 * Named least-privilege role sets for a new GDAP relationship (Entra role template ids). The partner picks
 * one on the card; `default` is GDAP_DEFAULT_ROLES. Global Administrator is deliberately not offered:
 * it blocks auto-extend, and almost no support task needs it.
 */
export const ROLES = {
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
} as const;

export type RoleTemplateName = 'default' | 'helpdesk' | 'user-management' | 'licensing' | 'security-review';

export const ROLE_TEMPLATES: Readonly<Record<Exclude<RoleTemplateName, 'default'>, readonly string[]>> = {
  helpdesk: [ROLES.globalReader, ROLES.helpdeskAdministrator],
  'user-management': [ROLES.globalReader, ROLES.userAdministrator],
  licensing: [ROLES.globalReader, ROLES.licenseAdministrator],
  'security-review': [ROLES.globalReader, ROLES.securityReader],
};

export function rolesOf(template: RoleTemplateName, defaultRoles: readonly string[]): string[] {
  return [...(template === 'default' ? defaultRoles : ROLE_TEMPLATES[template])];
}

/** Microsoft refuses auto-extend for relationships that include Global Administrator. */
export function autoExtendAllowed(roles: readonly string[]): boolean {
  return !roles.includes(ROLES.globalAdministrator);
}

export function isRoleTemplateName(value: unknown): value is RoleTemplateName {
  return value === 'default' || (typeof value === 'string' && Object.hasOwn(ROLE_TEMPLATES, value));
}
