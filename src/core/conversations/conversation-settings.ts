import { toConversationKey, type ConversationAddress, type Locale } from '../chat.ts';
import type { Store } from '../ports.ts';

export interface ConversationSettings {
  language?: Locale;
}

export interface ConversationSettingsStore {
  get(address: ConversationAddress): Promise<ConversationSettings>;
  update(address: ConversationAddress, change: Partial<ConversationSettings>): Promise<ConversationSettings>;
}

/** Per-conversation preferences, kept in the store so every replica and every restart sees them. */
export function createConversationSettings(store: Store): ConversationSettingsStore {
  const settings = store.namespace<ConversationSettings>('conversation-settings');
  return {
    async get(address) {
      return (await settings.get(toConversationKey(address))) ?? {};
    },
    async update(address, change) {
      const key = toConversationKey(address);
      const next = { ...((await settings.get(key)) ?? {}), ...change };
      await settings.set(key, next);
      return next;
    },
  };
}
