import {
  buildEnvelope,
  resolveContext,
  type ConversationType,
  type TeamsActivityJson,
  type TeamsContext,
} from './teams-activity-base.ts';

export * from './teams-activity-base.ts';

/**
 * Activities as Teams posts them to the bot's `/api/messages` (field names from botframework-schema and
 * recorded Teams payloads). POST them with any bearer while the bot runs without an app id.
 */
export interface MessageInput extends TeamsContext {
  /** What the user typed; in group chats and channels the builder puts the bot's `<at>` mention first. */
  text: string;
}

export interface ScopedInput extends TeamsContext {
  scope?: ConversationType;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Teams mirrors every typed message as HTML in a `text/html` attachment. */
function toHtmlAttachment(html: string): unknown[] {
  return [{ contentType: 'text/html', content: `<p>${html}</p>` }];
}

function buildMessage(scope: ConversationType, input: MessageInput): TeamsActivityJson {
  const activity = buildEnvelope('message', scope, input);
  if (scope === 'personal') {
    return { ...activity, text: input.text, textFormat: 'plain', attachments: toHtmlAttachment(escapeHtml(input.text)) };
  }
  const { botAppId, botName } = resolveContext(input);
  const mention = `<at>${botName}</at>`;
  const mentionEntity = { type: 'mention', text: mention, mentioned: { id: `28:${botAppId}`, name: botName } };
  return {
    ...activity,
    text: `${mention} ${input.text}`,
    textFormat: 'plain',
    attachments: toHtmlAttachment(`<at id="0">${escapeHtml(botName)}</at> ${escapeHtml(input.text)}`),
    entities: [mentionEntity, ...(activity.entities as unknown[])],
  };
}

export function buildPersonalMessage(input: MessageInput): TeamsActivityJson {
  return buildMessage('personal', input);
}

export function buildGroupChatMessage(input: MessageInput): TeamsActivityJson {
  return buildMessage('groupChat', input);
}

export function buildChannelMessage(input: MessageInput): TeamsActivityJson {
  return buildMessage('channel', input);
}

/** For a team, lifecycle activities arrive in the team's General channel, not in a thread. */
function lifecycleContext(input: ScopedInput): TeamsContext {
  if (input.scope !== 'channel') return input;
  const c = resolveContext(input);
  return { ...input, conversationId: input.conversationId ?? c.channelThreadId };
}

function withTeamSettings(activity: TeamsActivityJson, input: ScopedInput, extra: Record<string, unknown>): TeamsActivityJson {
  const channelData = { ...activity.channelData, ...extra };
  if (input.scope === 'channel') channelData.settings = { selectedChannel: { id: resolveContext(input).channelThreadId } };
  return { ...activity, channelData };
}

/** The bot was added: the moment to store the conversation reference and greet. */
export function buildBotAddedUpdate(input: ScopedInput): TeamsActivityJson {
  const scope = input.scope ?? 'personal';
  const activity = buildEnvelope('conversationUpdate', scope, lifecycleContext(input));
  const extra = scope === 'channel' ? { eventType: 'teamMemberAdded' } : {};
  return { ...withTeamSettings(activity, input, extra), membersAdded: [{ id: activity.recipient.id }] };
}

/** `remove` is the signal to delete the stored conversation reference. */
export function buildInstallationUpdate(input: ScopedInput & { action: 'add' | 'remove' }): TeamsActivityJson {
  const scope = input.scope ?? 'personal';
  const activity = buildEnvelope('installationUpdate', scope, lifecycleContext(input));
  return { ...withTeamSettings(activity, input, { source: null }), action: input.action };
}

export interface CardActionInput extends ScopedInput {
  /** The id of the bot message that holds the card. */
  replyToId: string;
}

/** A card action happens in the thread of the card's message. */
function cardActionContext(input: CardActionInput): TeamsContext {
  if (input.scope !== 'channel') return input;
  const c = resolveContext(input);
  return { ...input, conversationId: input.conversationId ?? `${c.channelThreadId};messageid=${input.replyToId}` };
}

function cardChannelData(activity: TeamsActivityJson, replyToId: string): Record<string, unknown> {
  return { ...activity.channelData, source: { name: 'message' }, legacy: { replyToId } };
}

/** Universal Actions: answer with `{ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value }`. */
export function buildAdaptiveCardInvoke(input: CardActionInput & { verb: string; data?: Record<string, unknown>; actionId?: string }): TeamsActivityJson {
  const activity = buildEnvelope('invoke', input.scope ?? 'personal', cardActionContext(input));
  const action = { type: 'Action.Execute', ...(input.actionId ? { id: input.actionId } : {}), verb: input.verb, data: input.data ?? {} };
  return {
    ...activity,
    name: 'adaptiveCard/action',
    value: { action, trigger: 'manual' },
    replyToId: input.replyToId,
    channelData: cardChannelData(activity, input.replyToId),
  };
}

/** Action.Submit (the fallback for clients without Universal Actions): a text-less message with `value`. */
export function buildCardSubmitMessage(input: CardActionInput & { value: Record<string, unknown> }): TeamsActivityJson {
  const activity = buildEnvelope('message', input.scope ?? 'personal', cardActionContext(input));
  return { ...activity, value: input.value, replyToId: input.replyToId, channelData: cardChannelData(activity, input.replyToId) };
}
