import type { Activity } from 'botbuilder';
import type { ChatEvent, ConversationKind } from '../../core/chat.ts';

/** Teams activity → the core's ChatEvent: who, where, the command text without the @mention, or a card action. */
export function toChatEvent(activity: Partial<Activity>): ChatEvent {
  return {
    address: {
      platform: 'teams',
      tenantId: tenantOf(activity),
      conversationId: activity.conversation?.id ?? '',
      kind: kindOf(activity.conversation?.conversationType),
    },
    user: {
      id: activity.from?.aadObjectId ?? activity.from?.id ?? '',
      name: activity.from?.name,
      locale: activity.locale,
    },
    text: activity.text === undefined ? undefined : stripBotMention(activity),
    action: actionOf(activity),
  };
}

export function tenantOf(activity: Partial<Activity>): string {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return channelData?.tenant?.id ?? activity.conversation?.tenantId ?? '';
}

function kindOf(conversationType: string | undefined): ConversationKind {
  if (conversationType === 'channel') return 'channel';
  if (conversationType === 'groupChat') return 'group';
  return 'personal';
}

/** Removes the mention of the bot (as Teams writes it, `<at>Bot</at>`), HTML spaces and stray markup. */
function stripBotMention(activity: Partial<Activity>): string {
  let text = activity.text ?? '';
  for (const entity of activity.entities ?? []) {
    const mention = entity as { type?: string; text?: string; mentioned?: { id?: string } };
    if (mention.type === 'mention' && mention.mentioned?.id === activity.recipient?.id && mention.text) {
      text = text.split(mention.text).join(' ');
    }
  }
  return text
    .replace(/^\s*<at>[^<]*<\/at>/i, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Action.Submit arrives as a message with `value`; Action.Execute as an invoke with `value.action`. */
function actionOf(activity: Partial<Activity>): ChatEvent['action'] {
  const value = activity.value as Record<string, unknown> | undefined;
  if (!value || typeof value !== 'object') return undefined;
  const execute = value.action as { verb?: unknown; data?: unknown } | undefined;
  if (activity.type === 'invoke' && execute && typeof execute === 'object') {
    const data = (execute.data && typeof execute.data === 'object' ? execute.data : {}) as Record<string, unknown>;
    return { name: String(execute.verb ?? data.action ?? ''), data };
  }
  return typeof value.action === 'string' ? { name: value.action, data: value } : undefined;
}
