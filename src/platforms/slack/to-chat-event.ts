import type { ChatEvent, ConversationKind } from '../../core/chat.ts';

export interface SlackOrigin {
  teamId: string;
  channelId: string;
  userId: string;
  /** Set for messages inside a thread, so the answer stays in it. */
  threadTs?: string;
  /** Slash commands carry a response_url that works even where the bot is not a member. */
  responseUrl?: string;
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

/** A button's `value` is the JSON of the card action's data (see render/block-kit.ts). */
export function toActionEvent(origin: SlackOrigin, kind: ConversationKind, value: string | undefined, locale?: string): ChatEvent | undefined {
  let data: unknown;
  try {
    data = JSON.parse(value ?? '');
  } catch {
    return undefined;
  }
  if (!data || typeof data !== 'object' || typeof (data as { action?: unknown }).action !== 'string') return undefined;
  const record = data as Record<string, unknown>;
  return { ...toChatEvent(origin, undefined, kind, locale), action: { name: String(record.action), data: record } };
}
