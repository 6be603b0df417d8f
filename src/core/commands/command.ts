import type { ChatEvent, Locale, Reply } from '../chat.ts';

export interface CommandContext {
  event: ChatEvent;
  locale: Locale;
  isAdmin: boolean;
  /** The words after the command phrase, in their original case. */
  args: string[];
}

export interface Command {
  /** The canonical phrase, as typed: `help`, `request relationship`. */
  name: string;
  /** The i18n key of its description (`commands.<key>` in src/i18n). */
  key: string;
  /** How to type it, shown in help: `language de|en`. */
  usage: string;
  /** Other phrases that run it, German ones included. */
  aliases: readonly string[];
  adminOnly: boolean;
  run(context: CommandContext): Promise<Reply>;
}

/** What `help` shows of a command. */
export interface CommandSummary {
  name: string;
  key: string;
  usage: string;
  aliases: string[];
  admin: boolean;
}

export function toCommandSummary(command: Command): CommandSummary {
  return { name: command.name, key: command.key, usage: command.usage, aliases: [...command.aliases], admin: command.adminOnly };
}
