import { App, type BlockAction, type ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isTenantAllowed } from '../../core/access.ts';
import type { ChatEvent, ConversationKind, Locale } from '../../core/chat.ts';
import type { ChatHandler } from '../../core/handle-chat-event.ts';
import type { Logger } from '../../logger.ts';
import type { ConversationReferences } from '../conversation-references.ts';
import { deliverSlackReply, type SlackDelivery } from './deliver-slack-reply.ts';
import { INVITATION_SAVE_CALLBACK_ID } from '../../render/invitation-modal.ts';
import { toSaveActionData } from './invitation-modals.ts';
import { createSharedChannelCheck } from './shared-channel-check.ts';
import { trackSlackMembership } from './slack-membership.ts';
import type { SlackReceiver } from './slack-receiver.ts';
import { toSlackLogger } from './slack-logger.ts';
import { createSlackUserLocales } from './slack-user-locales.ts';
import { kindOfChannel, toChatEvent } from './to-chat-event.ts';

export interface SlackAppOptions {
  token: string;
  apiUrl: string;
  receiver: SlackReceiver;
  handleChat: ChatHandler;
  references: ConversationReferences;
  allowedTeams: readonly string[];
  defaultLocale: Locale;
  log: Logger;
}

interface Turn extends Omit<SlackDelivery, 'direct'> {
  kind: ConversationKind;
  text?: string;
  action?: Record<string, unknown>;
}

/** Bolt app with thin listeners: ack first, then one call into the core and one delivery. */
export async function createSlackApp(options: SlackAppOptions): Promise<App> {
  const log = options.log.child({ platform: 'slack' });
  const app = new App({ token: options.token, receiver: options.receiver, logger: toSlackLogger(log), clientOptions: { slackApiUrl: options.apiUrl }, deferInitialization: true });
  const localeOf = createSlackUserLocales(app.client, log);
  const isShared = createSharedChannelCheck(app.client, log);
  const run = async (turn: Turn, client: WebClient): Promise<void> => {
    const event = { ...toChatEvent(turn.origin, turn.text, turn.kind, await localeOf(turn.origin.userId)), isExternal: () => isShared(turn.origin.channelId) };
    await answer(turn.action ? { ...event, action: toAction(turn.action) } : event, turn, client, options);
  };

  app.command('/partner', async ({ command, ack, client, respond }) => {
    await ack();
    const origin = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
    await run({ origin, kind: kindOfChannel(command.channel_id, command.channel_name === 'directmessage' ? 'im' : undefined), text: command.text, respond }, client);
  });
  app.event('app_mention', async ({ event, body, client }) => {
    const origin = { teamId: event.team ?? String(body.team_id), channelId: event.channel, userId: event.user ?? '', threadTs: event.thread_ts };
    await run({ origin, kind: kindOfChannel(event.channel), text: event.text }, client);
  });
  app.message(async ({ message, body, client }) => {
    if (message.channel_type !== 'im' || message.subtype !== undefined || !('user' in message) || !message.user) return;
    const origin = { teamId: String(body.team_id), channelId: message.channel, userId: message.user, threadTs: message.thread_ts };
    await run({ origin, kind: 'personal', text: message.text ?? '' }, client);
  });
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async ({ ack, body, action, client, respond }) => {
    await ack();
    const data = parseButtonValue(action.value);
    if (!data) return;
    const channelId = body.channel?.id ?? body.user.id;
    const origin = { teamId: body.team?.id ?? body.user.team_id ?? '', channelId, userId: body.user.id };
    const container = body.container as { message_ts?: string; is_ephemeral?: boolean } | undefined;
    await run({ origin, kind: kindOfChannel(channelId), action: data, respond, triggerId: body.trigger_id, messageTs: container?.message_ts ?? body.message?.ts, ephemeral: container?.is_ephemeral }, client);
  });
  app.view(INVITATION_SAVE_CALLBACK_ID, async ({ ack, view, body, client }) => {
    await ack();
    const { data, location } = toSaveActionData(view);
    const origin = { teamId: body.team?.id ?? body.user.team_id ?? '', channelId: location.channelId, userId: body.user.id };
    await run({ origin, kind: kindOfChannel(location.channelId), action: data, messageTs: location.messageTs }, client);
  });
  trackSlackMembership(app, options.references, options.allowedTeams, options.defaultLocale);
  app.error(async (error) => {
    log.error({ err: error }, 'slack listener failed');
  });
  await app.init();
  return app;
}

async function answer(event: ChatEvent, turn: Turn, client: WebClient, options: SlackAppOptions): Promise<void> {
  if (isTenantAllowed(event.address, options.allowedTeams)) {
    await options.references.remember(event.address, { teamId: turn.origin.teamId, channelId: turn.origin.channelId });
  }
  const reply = await options.handleChat(event);
  if (reply) await deliverSlackReply(client, reply, { ...turn, direct: turn.kind === 'personal' });
}

/** A button's `value` is the JSON of the card action's data (render/block-kit.ts). */
function parseButtonValue(value: string | undefined): Record<string, unknown> | undefined {
  try {
    const data = JSON.parse(value ?? '') as unknown;
    return data && typeof data === 'object' && typeof (data as { action?: unknown }).action === 'string' ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function toAction(data: Record<string, unknown>): ChatEvent['action'] {
  return { name: String(data.action), data };
}

