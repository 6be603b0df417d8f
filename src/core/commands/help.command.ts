import { toCommandSummary, type Command } from './command.ts';

/** `help`: the commands this user may run here, in the conversation's language. */
export function createHelpCommand(listCommands: () => readonly Command[]): Command {
  return {
    name: 'help',
    key: 'help',
    usage: 'help',
    aliases: ['hilfe', '?'],
    adminOnly: false,
    async run({ locale, isAdmin }) {
      const commands = listCommands()
        .filter((command) => isAdmin || !command.adminOnly)
        .map(toCommandSummary);
      return { template: 'help', locale, data: { commands, language: locale, isAdmin }, private: true };
    },
  };
}
