import { App, type RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isTenantAllowed } from '../../core/access.ts';
import type { ConversationKind } from '../../core/chat.ts';
import type { ChatHandler } from '../../core/handle-chat-event.ts';
import type { Logger } from '../../logger.ts';
import { renderForSlack } from '../../render/render-reply.ts';
import type { ConversationReferences } from '../conversation-references.ts';
import { sendSlackReply } from './send-slack-reply.ts';
import { trackSlackMembership } from './slack-membership.ts';
import type { SlackReceiver } from './slack-receiver.ts';
import { toSlackLogger } from './slack-logger.ts';
import { createSlackUserLocales } from './slack-user-locales.ts';
import { kindOfChannel, toActionEvent, toChatEvent, type SlackOrigin } from './to-chat-event.ts';

export interface SlackAppOptions {
  token: string;
  apiUrl: string;
  receiver: SlackReceiver;
  handleChat: ChatHandler;
  references: ConversationReferences;
  allowedTeams: readonly string[];
  log: Logger;
}

interface Turn {
  origin: SlackOrigin;
  kind: ConversationKind;
  text?: string;
  actionValue?: string;
  respond?: RespondFn;
}

/** Bolt app with thin listeners: ack first, then one call into the core and one reply. */
export async function createSlackApp(options: SlackAppOptions): Promise<App> {
  const log = options.log.child({ platform: 'slack' });
  const app = new App({
    token: options.token,
    receiver: options.receiver,
    logger: toSlackLogger(log),
    clientOptions: { slackApiUrl: options.apiUrl },
    deferInitialization: true,
  });
  const localeOf = createSlackUserLocales(app.client, log);
  const run = (turn: Turn, client: WebClient) => answer(turn, client, options, localeOf);

  app.command('/partner', async ({ command, ack, client, respond }) => {
    await ack();
    const origin = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id, responseUrl: command.response_url };
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
  app.action(/.+/, async ({ ack, body, action, client, respond }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    const channelId = body.channel?.id ?? body.user.id;
    const origin = { teamId: body.team?.id ?? body.user.team_id ?? '', channelId, userId: body.user.id };
    await run({ origin, kind: kindOfChannel(channelId), actionValue: action.value ?? '', respond }, client);
  });
  trackSlackMembership(app, options.references, options.allowedTeams);
  app.error(async (error) => {
    log.error({ err: error }, 'slack listener failed');
  });
  await app.init();
  return app;
}

async function answer(turn: Turn, client: WebClient, options: SlackAppOptions, localeOf: (userId: string) => Promise<string | undefined>): Promise<void> {
  const locale = await localeOf(turn.origin.userId);
  const event = turn.actionValue !== undefined
    ? toActionEvent(turn.origin, turn.kind, turn.actionValue, locale)
    : toChatEvent(turn.origin, turn.text, turn.kind, locale);
  if (!event) return;
  if (isTenantAllowed(event.address, options.allowedTeams)) {
    await options.references.remember(event.address, { teamId: turn.origin.teamId, channelId: turn.origin.channelId });
  }
  const reply = await options.handleChat(event);
  if (!reply) return;
  try {
    await sendSlackReply(client, turn.origin, reply, turn.kind === 'personal');
  } catch (error) {
    if (!turn.respond || !isNotInChannel(error)) throw error;
    // The bot is not a member of this channel: answer the slash command through its response_url.
    const { blocks, text } = renderForSlack(reply);
    await turn.respond({ blocks, text, response_type: 'ephemeral' } as never);
  }
}

function isNotInChannel(error: unknown): boolean {
  const code = (error as { data?: { error?: string } }).data?.error;
  return code === 'not_in_channel' || code === 'channel_not_found';
}
