import type { ConversationSettingsStore } from '../conversations/conversation-settings.ts';
import type { Command } from './command.ts';
import { createHelpCommand } from './help.command.ts';
import { createLanguageCommand } from './language.command.ts';

export interface CommandDependencies {
  settings: ConversationSettingsStore;
}

/** Every command the bot runs, in the order `help` lists them. Only implemented commands are here. */
export function createCommandRegistry(deps: CommandDependencies): readonly Command[] {
  const commands: Command[] = [];
  commands.push(createHelpCommand(() => commands), createLanguageCommand(deps.settings));
  return commands;
}
