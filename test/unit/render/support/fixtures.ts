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
  { template: 'language', data: {} },
];
