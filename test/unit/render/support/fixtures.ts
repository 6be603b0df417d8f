import type { Locale, Reply } from '../../../../src/core/chat.ts';

/** Untrusted text that would ping, link, format or reorder if any layer rendered it as markup. */
export const NASTY_TEXT = '<!channel> <https://evil.example|Microsoft> [x](https://evil.example) **bold** <@U123> &lt; \u202Etxet';

/** Every command of the contract, as `help` receives them (CommandSummary in src/core/commands). */
export const CONTRACT_COMMANDS = [
  { name: 'help', key: 'help', usage: 'help', aliases: ['hilfe', '?'], admin: false },
  {
    name: 'request relationship',
    key: 'request-relationship',
    usage: 'request relationship [indirect <provider>] [lang de|en]',
    aliases: ['invite', 'beziehung anfordern'],
    admin: false,
  },
  { name: 'subscribe', key: 'subscribe', usage: 'subscribe [accepted|removed|gdap|expiring|all]', aliases: ['abonnieren'], admin: true },
  { name: 'unsubscribe', key: 'unsubscribe', usage: 'unsubscribe [accepted|removed|gdap|expiring|all]', aliases: ['abbestellen'], admin: true },
  { name: 'subscriptions', key: 'subscriptions', usage: 'subscriptions', aliases: ['abonnements'], admin: true },
  { name: 'status', key: 'status', usage: 'status <customer>', aliases: [], admin: false },
  { name: 'restore', key: 'restore', usage: 'restore <customer>', aliases: ['wiederherstellen'], admin: true },
  { name: 'pending', key: 'pending', usage: 'pending', aliases: ['offen'], admin: false },
  { name: 'history', key: 'history', usage: 'history <customer>', aliases: ['verlauf'], admin: false },
  { name: 'language', key: 'language', usage: 'language de|en', aliases: ['sprache'], admin: true },
];

/** The relationship request link as Partner Center returns it: `?`, `&`, `=` and `#` must survive every layer. */
export const INVITATION_LINK =
  'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=3b33e682-00c3-41ee-9dd2-a548adf56438&msppId=0&DAP=false#/BillingAccounts/partner-invitation';
/** The indirect form: the provider's tenant id appended as `indirectCSPId` before the fragment. */
export const INDIRECT_INVITATION_LINK =
  'https://admin.microsoft.com/Adminportal/Home?invType=IndirectResellerRelationship&partnerId=3b33e682-00c3-41ee-9dd2-a548adf56438&msppId=0&DAP=false&indirectCSPId=7a1c9e52-8d3f-4b6a-9c0e-2f5d8b4a6e13#/BillingAccounts/partner-invitation';

const EXPIRING_RELATIONSHIP_ID = '2a9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d61-4b2a6e33-8791-4386-bd2b-0d55baf25039';

const otherLocale = (locale: Locale): Locale => (locale === 'en' ? 'de' : 'en');

/** `invitation` data: a direct invitation with the standard text, in the conversation's language unless overridden. */
export function invitationData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    invitationId: 'inv-4f2a9c',
    variant: 'direct',
    customerLocale: 'en',
    partnerName: 'Contoso Cloud Services GmbH',
    link: INVITATION_LINK,
    ...overrides,
  };
}

/** `customer-timeline` data: a customer whose name tries markup, with a removal as the latest event. */
export function timelineData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customer: { id: '4b2a6e33-8791-4386-bd2b-0d55baf25039', name: `Fabrikam ${NASTY_TEXT}`, domain: 'fabrikam.onmicrosoft.com' },
    identifying: false,
    relationship: { displayName: 'Contoso-Fabrikam-2026', endDateTime: '2028-11-25T10:15:00Z' },
    entries: [
      { kind: 'accepted', at: '2026-03-02T08:30:00.0000000+00:00' },
      { kind: 'gdap-approved', at: '2026-03-03T09:00:00Z' },
      { kind: 'admin-removed', at: '2026-11-25T10:15:02.1234567+00:00' },
    ],
    ...overrides,
  };
}

/** `restoration` data: waiting for the customer's approval, with the message and its link. */
export function restorationData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId: '4b2a6e33-8791-4386-bd2b-0d55baf25039',
    customerName: `Fabrikam ${NASTY_TEXT}`,
    step: 'awaiting-approval',
    reason: 'admin-removed-by-microsoft',
    note: 'reminder-7',
    canAct: true,
    partnerName: 'Contoso Cloud Services GmbH',
    proposal: { template: 'default', roles: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451', '729827e3-9c14-49f7-bb1b-9608f156bbb8'], duration: 'P730D', autoExtend: true, autoExtendAllowed: true },
    relationship: {
      displayName: 'Fabrikam restore 2026-11-25',
      approvalLink: 'https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/6f1c2b7e-3d4a-4e5f-9a8b-1c2d3e4f5a60-4b2a6e33-8791-4386-bd2b-0d55baf25039',
    },
    templates: ['default', 'helpdesk', 'user-management', 'licensing', 'security-review'],
    ...overrides,
  };
}

/** One sample per template, the fullest version of it; these produce the golden files. */
export const FIXTURES: Readonly<Record<string, (locale: Locale) => Record<string, unknown>>> = {
  help: (locale) => ({ commands: CONTRACT_COMMANDS, language: locale, isAdmin: true }),
  error: () => ({
    code: 'COMMAND.UNKNOWN',
    detail: NASTY_TEXT,
    suggestions: ['help', 'history'],
    correlationId: '7f3c2a1e-5b7d-4c2e-9a61-0d5e8f4b2c19',
  }),
  language: (locale) => ({ language: locale }),
  invitation: (locale) => invitationData({ customerLocale: locale }),
  welcome: () => ({}),
  'customer-timeline': () => timelineData(),
  'timeline-update': () => timelineData(),
  restoration: () => restorationData(),
  'notification-digest': () => ({
    items: [timelineData(), timelineData({ customer: { id: 'c2f4d3a8-1e5b-4f7c-9a0d-6b8e2f1c3d47', name: 'Contoso Ltd' }, entries: [{ kind: 'gdap-expiring', at: '2026-11-25T10:15:00Z', expiresInDays: 7 }] })],
  }),
  'customer-status': () => ({
    customer: { id: '4b2a6e33-8791-4386-bd2b-0d55baf25039', name: `Fabrikam ${NASTY_TEXT}`, domain: 'fabrikam.onmicrosoft.com', relationship: 'reseller', indirect: true },
    relationships: [
      { name: 'Contoso-Fabrikam-2026', status: 'active', endDateTime: '2028-11-25T10:15:00Z' },
      { name: `Onboarding ${NASTY_TEXT}`, status: 'approvalPending', endDateTime: '' },
    ],
    history: [
      { kind: 'admin-removed', at: '2026-11-25T10:15:02.1234567+00:00' },
      { kind: 'accepted', at: '2026-03-02T08:30:00Z' },
    ],
  }),
  'customer-history': () => ({
    customer: { id: '4b2a6e33-8791-4386-bd2b-0d55baf25039', name: `Fabrikam ${NASTY_TEXT}`, domain: 'fabrikam.onmicrosoft.com' },
    entries: [
      { at: '2026-12-01T09:00:00Z', source: 'playbook', what: 'access-restored:1' },
      { at: '2026-11-30T08:00:00Z', source: 'event', what: 'gdap-approved' },
      { at: '2026-11-28T10:00:00Z', source: 'playbook', what: 'reminder:3' },
      { at: '2026-11-25T11:00:00Z', source: 'playbook', what: 'requested', by: `Anna ${NASTY_TEXT} (U0ADMIN)` },
      { at: '2026-11-25T10:50:00Z', source: 'playbook', what: 'auto-extend:off', by: 'U0ADMIN' },
      { at: '2026-11-25T10:45:00Z', source: 'playbook', what: 'proposal:helpdesk', by: 'U0ADMIN' },
      { at: '2026-11-25T10:40:00Z', source: 'playbook', what: 'invitation-requested', by: 'U0ADMIN' },
      { at: '2026-11-25T10:30:00Z', source: 'playbook', what: 'started', by: 'U0ADMIN' },
      { at: '2026-11-25T10:15:02.1234567+00:00', source: 'event', what: 'admin-removed' },
      { at: '2026-10-01T07:00:00Z', source: 'chat', what: 'auto-extend-enabled', by: 'Ben (29:1ab)' },
      { at: '2026-09-24T07:00:00Z', source: 'event', what: 'gdap-expiring', days: 7 },
      { at: '2026-03-02T08:30:00Z', source: 'event', what: 'accepted' },
    ],
    total: 42,
  }),
  'customer-choices': () => ({
    query: `Fab ${NASTY_TEXT}`,
    command: 'status',
    choices: [
      { id: '4b2a6e33-8791-4386-bd2b-0d55baf25039', label: `Fabrikam ${NASTY_TEXT} (fabrikam.de)` },
      { id: 'c2f4d3a8-1e5b-4f7c-9a0d-6b8e2f1c3d47', label: 'Fabrikam Nord GmbH (fabrikam-nord.de)' },
    ],
    more: true,
  }),
  pending: () => ({
    days: 90,
    invitations: [{ at: '2026-11-01T09:00:00Z', who: `Anna ${NASTY_TEXT}`, variant: 'indirect', language: 'de' }],
    withoutAccess: [{ customer: `Fabrikam ${NASTY_TEXT}`, kind: 'admin-removed', since: '2026-11-25T10:15:00Z' }],
  }),
  subscriptions: () => ({
    kinds: [
      { kind: 'accepted', on: true },
      { kind: 'removed', on: true },
      { kind: 'gdap', on: false },
      { kind: 'expiring', on: false },
    ],
    change: 'subscribed',
  }),
};

/** More golden files for templates whose shapes differ a lot: `<name>.<locale>.{teams,slack}.json`. */
export const GOLDEN_VARIANTS: Readonly<Record<string, { template: string; data: (locale: Locale) => Record<string, unknown> }>> = {
  // Custom text with untrusted markup, and an email in the other language than the conversation.
  'invitation-custom': {
    template: 'invitation',
    data: (locale) => invitationData({ customerLocale: otherLocale(locale), customText: { paragraph1: NASTY_TEXT, paragraph2: `Second ${NASTY_TEXT}\nline two` } }),
  },
  'invitation-indirect': {
    template: 'invitation',
    data: (locale) =>
      invitationData({
        variant: 'indirect',
        provider: { id: '7a1c9e52-8d3f-4b6a-9c0e-2f5d8b4a6e13', name: 'Fabrikam Distribution & Co. <!here> **KG**' },
        customerLocale: locale,
        link: INDIRECT_INVITATION_LINK,
      }),
  },
  // The expiry watch: an active relationship ending in 14 days offers auto-extend and a new relationship.
  'customer-timeline-expiring': {
    template: 'customer-timeline',
    data: () =>
      timelineData({
        relationship: { id: EXPIRING_RELATIONSHIP_ID, displayName: `Contoso ${NASTY_TEXT}`, endDateTime: '2026-12-09T10:15:00Z', roles: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'] },
        entries: [
          { kind: 'gdap-approved', at: '2024-12-09T10:15:00Z' },
          { kind: 'gdap-expiring', at: '2026-11-25T10:15:00Z', expiresInDays: 14 },
        ],
      }),
  },
  'invitation-editing': {
    template: 'invitation',
    data: (locale) =>
      invitationData({ customerLocale: locale, editing: true, canEditForTenant: true, customText: { paragraph1: 'Our own intro <@U123>', paragraph2: '' } }),
  },
};

/** Other shapes each template must also render cleanly (validated and budget-checked, no golden files). */
export const VARIANTS: readonly Omit<Reply, 'locale'>[] = [
  { template: 'help', data: { commands: CONTRACT_COMMANDS.filter((command) => !command.admin), language: 'de', isAdmin: false } },
  { template: 'help', data: { commands: [{ name: 'help', usage: 'help', aliases: [], admin: false }], language: 'en', isAdmin: false } },
  { template: 'help', data: { commands: [], language: 'xx' } },
  { template: 'error', data: { code: 'ACCESS.TENANT_NOT_ALLOWED' } },
  { template: 'error', data: { code: 'ACCESS.ADMIN_ONLY', detail: 'language' } },
  { template: 'error', data: { code: 'LANGUAGE.INVALID', detail: 'fr', suggestions: [] } },
  { template: 'error', data: { code: 'INTERNAL.UNEXPECTED', correlationId: 'abc-123' } },
  { template: 'error', data: { code: 'NO.SUCH_CODE' } },
  { template: 'error', data: {} },
  { template: 'language', data: { language: 'en' } },
  { template: 'customer-timeline', data: timelineData({ customer: undefined, identifying: true, relationship: undefined, entries: [{ kind: 'admin-removed', at: '2026-11-25T10:15:00Z' }] }) },
  { template: 'customer-timeline', data: timelineData({ entries: [{ kind: 'gdap-expiring', at: 'not a date', expiresInDays: 14 }] }) },
  { template: 'customer-timeline', data: timelineData({ entries: [] }) },
  { template: 'customer-timeline', data: timelineData({ entries: [{ kind: 'constructor', at: '2026-11-25T10:15:00Z' }] }) },
  { template: 'customer-timeline', data: timelineData({ entries: Array.from({ length: 25 }, () => ({ kind: 'access-assignment-updated', at: '2026-11-25T10:15:00Z' })) }) },
  { template: 'timeline-update', data: timelineData({ customer: { id: 'x' } }) },
  // With Global Administrator only "Start a new relationship"; a tampered id offers neither.
  { template: 'customer-timeline', data: timelineData({ relationship: { id: EXPIRING_RELATIONSHIP_ID, roles: ['62E90394-69F5-4237-9190-012177145E10'] }, entries: [{ kind: 'gdap-expiring', at: '2026-11-25T10:15:00Z', expiresInDays: 7 }] }) },
  { template: 'customer-timeline', data: timelineData({ relationship: { id: 'x"}],"y', roles: 'nope' }, entries: [{ kind: 'gdap-expiring', at: '2026-11-25T10:15:00Z', expiresInDays: 7 }] }) },
  { template: 'customer-timeline', data: timelineData({ entries: [{ kind: 'auto-extend-enabled', at: '2026-11-25T10:15:00Z' }] }) },
  { template: 'customer-status', data: { customer: { id: 'x', name: '', domain: '', relationship: 'unheard-of' }, relationships: [], history: [] } },
  { template: 'customer-status', data: {} },
  { template: 'customer-choices', data: { query: 'x', command: 'history', choices: [], more: false } },
  { template: 'customer-history', data: { customer: { id: 'x' }, entries: [], total: 0 } },
  { template: 'customer-history', data: { entries: [{ at: 'not a date', source: 'playbook', what: 'constructor:toString' }, { source: 'event', what: '__proto__' }, { source: 'chat' }] } },
  { template: 'customer-history', data: { customer: { id: 'x' }, entries: Array.from({ length: 30 }, () => ({ at: '2026-11-25T10:15:00Z', source: 'playbook', what: 'requested', by: 'ü'.repeat(300) })), total: 200 } },
  { template: 'pending', data: { days: 90, invitations: [], withoutAccess: [] } },
  { template: 'notification-digest', data: { items: Array.from({ length: 20 }, () => timelineData()) } },
  { template: 'notification-digest', data: {} },
  { template: 'restoration', data: restorationData({ step: 'proposed', note: undefined, relationship: undefined }) },
  { template: 'restoration', data: restorationData({ step: 'proposed', canAct: false, proposal: { template: 'x', roles: ['62e90394-69f5-4237-9190-012177145e10'], duration: 'P90D', autoExtend: false, autoExtendAllowed: false } }) },
  { template: 'restoration', data: restorationData({ step: 'needs-invitation', reason: 'manual' }) },
  { template: 'restoration', data: restorationData({ step: 'awaiting-approval', relationship: { displayName: 'x', approvalLink: 'https://evil.example/phish' } }) },
  { template: 'restoration', data: restorationData({ step: 'done', note: 'access-restored' }) },
  { template: 'restoration', data: restorationData({ step: 'expired', note: 'expired' }) },
  { template: 'pending', data: { invitations: [{ at: 'not a date', variant: 'other', language: 'fr' }], withoutAccess: [{ kind: 'toString' }] } },
  { template: 'language', data: {} },
  { template: 'subscriptions', data: { kinds: [{ kind: 'accepted', on: false }], change: 'none' } },
  { template: 'subscriptions', data: { kinds: [{ kind: 'gdap', on: true }], change: 'unsubscribed' } },
  { template: 'invitation', data: invitationData({ editing: true }) },
  { template: 'invitation', data: invitationData({ editing: true, canEditForTenant: false, variant: 'indirect', provider: { id: 'p1', name: 'Provider' } }) },
  {
    template: 'invitation',
    data: invitationData({
      variant: 'indirect',
      provider: { id: 'p1', name: 'ü'.repeat(600) },
      partnerName: 'ß'.repeat(600),
      customerLocale: 'de',
      customText: { paragraph1: 'ä'.repeat(1_000), paragraph2: `${NASTY_TEXT} `.repeat(20) },
      canEditForTenant: true,
    }),
  },
  { template: 'invitation', data: invitationData({ customText: { paragraph1: '', paragraph2: '' }, canEditForTenant: true }) },
  { template: 'invitation', data: invitationData({ customerLocale: 'fr', editing: 'yes', variant: 'other' }) },
  // A link too long for any mailto: the email button disappears, the link stays whole.
  { template: 'invitation', data: invitationData({ link: `${INVITATION_LINK}&pad=${'x'.repeat(1_800)}` }) },
];
