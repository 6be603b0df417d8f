import { isAdmin, isTenantAllowed } from './access.ts';
import type { ChatEvent, Locale, Platform, Reply } from './chat.ts';
import type { ActionHandler } from './commands/action.ts';
import type { Command } from './commands/command.ts';
import { parseCommand, suggestCommands } from './commands/parse-command.ts';
import type { ConversationSettingsStore } from './conversations/conversation-settings.ts';
import { toLocale } from './locale.ts';
import { errorReply } from './replies.ts';

export interface ChatHandlerDependencies {
  commands: readonly Command[];
  /** Card buttons by action name; `command` (run the text as a command) is built in. */
  actions?: Record<string, ActionHandler>;
  settings: ConversationSettingsStore;
  allowedTenants: Record<Platform, readonly string[]>;
  admins: readonly string[];
  defaultLocale: Locale;
}

export type ChatHandler = (event: ChatEvent) => Promise<Reply | undefined>;

/**
 * The one use case every chat entry point calls: check who may talk, pick the language, run the command.
 * Returns undefined only for events that need no answer (a card action the core does not know).
 */
export function createChatHandler(deps: ChatHandlerDependencies): ChatHandler {
  return async function handleChatEvent(event) {
    const locale = await chooseLocale(event, deps);
    if (!isTenantAllowed(event.address, deps.allowedTenants[event.address.platform])) {
      return errorReply(locale, 'ACCESS.TENANT_NOT_ALLOWED');
    }
    const admin = isAdmin(event.address.platform, event.user, deps.admins);
    if (event.action && event.action.name !== 'command') {
      // hasOwn: the name comes from a button payload and must not reach Object.prototype.
      const handler = deps.actions && Object.hasOwn(deps.actions, event.action.name) ? deps.actions[event.action.name] : undefined;
      return handler?.({ event, locale, isAdmin: admin, data: event.action.data });
    }
    const text = event.action ? String(event.action.data.text ?? '') : event.text;
    const visible = deps.commands.filter((command) => admin || !command.adminOnly);
    const parsed = parseCommand(text, deps.commands);
    if (parsed.kind === 'empty') return runHelp(deps.commands, { event, locale, isAdmin: admin, args: [] });
    if (parsed.kind === 'unknown') {
      return errorReply(locale, 'COMMAND.UNKNOWN', { detail: parsed.input, suggestions: suggestCommands(parsed.input, visible) });
    }
    if (parsed.command.adminOnly && !admin) return errorReply(locale, 'ACCESS.ADMIN_ONLY', { detail: parsed.command.name });
    return parsed.command.run({ event, locale, isAdmin: admin, args: parsed.args });
  };
}

async function chooseLocale(event: ChatEvent, deps: ChatHandlerDependencies): Promise<Locale> {
  const settings = await deps.settings.get(event.address);
  return settings.language ?? toLocale(event.user.locale) ?? deps.defaultLocale;
}

function runHelp(commands: readonly Command[], context: Parameters<Command['run']>[0]): Promise<Reply> {
  const help = commands.find((command) => command.name === 'help');
  if (!help) throw new Error('the help command is missing from the registry');
  return help.run(context);
}
