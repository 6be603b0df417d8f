import type { Locale } from '../chat.ts';
import type { ConversationSettingsStore } from '../conversations/conversation-settings.ts';
import { errorReply } from '../replies.ts';
import type { Command } from './command.ts';

const LANGUAGE_WORDS: Record<string, Locale> = {
  de: 'de', deutsch: 'de', german: 'de',
  en: 'en', english: 'en', englisch: 'en',
};

/** `language de|en`: the language the bot uses in this conversation from now on. */
export function createLanguageCommand(settings: ConversationSettingsStore): Command {
  return {
    name: 'language',
    key: 'language',
    usage: 'language de|en',
    aliases: ['sprache'],
    adminOnly: true,
    async run({ event, locale, args }) {
      const wanted = args.length === 1 ? LANGUAGE_WORDS[(args[0] ?? '').toLowerCase()] : undefined;
      if (!wanted) return errorReply(locale, 'LANGUAGE.INVALID', { detail: args.join(' ') });
      await settings.update(event.address, { language: wanted });
      return { template: 'language', locale: wanted, data: { language: wanted } };
    },
  };
}
