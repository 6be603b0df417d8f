import type { ChatEvent, ConversationKind } from '../../core/chat.ts';

export interface SlackOrigin {
  teamId: string;
  channelId: string;
  userId: string;
  /** Set for messages inside a thread, so the answer stays in it. */
  threadTs?: string;
}

/** Slack channel ids tell the kind: D… direct message, G… private or multi-person, C… channel. */
export function kindOfChannel(channelId: string, channelType?: string): ConversationKind {
  if (channelType === 'im' || channelId.startsWith('D')) return 'personal';
  if (channelType === 'mpim') return 'group';
  return 'channel';
}

export function toChatEvent(origin: SlackOrigin, text: string | undefined, kind: ConversationKind, locale?: string): ChatEvent {
  return {
    address: { platform: 'slack', tenantId: origin.teamId, conversationId: origin.channelId, kind },
    user: { id: origin.userId, locale },
    text: text === undefined ? undefined : stripMentions(text),
  };
}

/** Removes the bot's `<@U…>` mention and Slack's escaping of what the user typed. */
export function stripMentions(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
