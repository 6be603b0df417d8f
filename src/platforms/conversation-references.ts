import { toConversationKey, type ConversationAddress } from '../core/chat.ts';
import type { Store } from '../core/ports.ts';

/**
 * Where to send proactive messages. Kept durably (bots that keep references in memory lose every
 * notification target on redeploy). `reference` is the platform's own shape: a Bot Framework
 * ConversationReference for Teams, `{ teamId, channelId }` for Slack.
 */
export interface StoredConversation {
  address: ConversationAddress;
  reference: Record<string, unknown>;
  updatedAt: string;
}

export interface ConversationReferences {
  /** Stores the reference unless this process already stored it (keeps store writes off the hot path). */
  remember(address: ConversationAddress, reference: Record<string, unknown>): Promise<void>;
  get(key: string): Promise<StoredConversation | undefined>;
  forget(address: ConversationAddress): Promise<void>;
}

export function createConversationReferences(store: Store, now: () => number = Date.now): ConversationReferences {
  const references = store.namespace<StoredConversation>('conversation-references');
  const known = new Set<string>();
  return {
    async remember(address, reference) {
      const key = toConversationKey(address);
      if (known.has(key)) return;
      await references.set(key, { address, reference, updatedAt: new Date(now()).toISOString() });
      known.add(key);
    },
    get: (key) => references.get(key),
    async forget(address) {
      const key = toConversationKey(address);
      known.delete(key);
      await references.delete(key);
    },
  };
}
