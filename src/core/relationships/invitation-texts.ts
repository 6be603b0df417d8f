import { toConversationKey, type ConversationAddress } from '../chat.ts';
import type { Store } from '../ports.ts';

export interface CustomParagraphs {
  paragraph1: string;
  paragraph2: string;
}

export type TextScope = 'conversation' | 'tenant';

export const MAX_PARAGRAPH_LENGTH = 1000;

export interface InvitationTexts {
  /** The paragraphs this conversation uses: its own, else its tenant's, else none (the defaults apply). */
  get(address: ConversationAddress): Promise<CustomParagraphs | undefined>;
  save(address: ConversationAddress, scope: TextScope, paragraphs: CustomParagraphs): Promise<void>;
  reset(address: ConversationAddress): Promise<void>;
}

const tenantKey = (address: ConversationAddress): string => `${address.platform}:${address.tenantId}:*`;

/** Editable paragraphs 1–2 of the invitation email. The link is never part of them. */
export function createInvitationTexts(store: Store): InvitationTexts {
  const texts = store.namespace<CustomParagraphs>('invitation-texts');
  return {
    async get(address) {
      const [own, tenantWide] = await Promise.all([texts.get(toConversationKey(address)), texts.get(tenantKey(address))]);
      return own ?? tenantWide;
    },
    async save(address, scope, paragraphs) {
      const key = scope === 'tenant' ? tenantKey(address) : toConversationKey(address);
      await texts.set(key, {
        paragraph1: paragraphs.paragraph1.slice(0, MAX_PARAGRAPH_LENGTH),
        paragraph2: paragraphs.paragraph2.slice(0, MAX_PARAGRAPH_LENGTH),
      });
    },
    async reset(address) {
      await texts.delete(toConversationKey(address));
    },
  };
}
