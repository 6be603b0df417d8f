import type { App } from '@slack/bolt';
import { isTenantAllowed } from '../../core/access.ts';
import type { ConversationAddress, Locale } from '../../core/chat.ts';
import { welcomeReply } from '../../core/replies.ts';
import { renderForSlack } from '../../render/render-reply.ts';
import type { ConversationReferences } from '../conversation-references.ts';
import { kindOfChannel } from './to-chat-event.ts';

/**
 * Keeps Slack conversation references in step with where the bot is: remembered when it joins a channel
 * (so notifications can go there before anyone talks to it, with a welcome that says how to subscribe),
 * forgotten when it leaves or is removed.
 */
export function trackSlackMembership(app: App, references: ConversationReferences, allowedTeams: readonly string[], locale: Locale): void {
  const addressOf = (teamId: string, channelId: string, channelType?: string): ConversationAddress => ({
    platform: 'slack',
    tenantId: teamId,
    conversationId: channelId,
    kind: kindOfChannel(channelId, channelType),
  });

  app.event('member_joined_channel', async ({ event, context, client }) => {
    if (event.user !== context.botUserId) return;
    const address = addressOf(event.team, event.channel, event.channel_type);
    if (!isTenantAllowed(address, allowedTeams)) return;
    await references.remember(address, { teamId: event.team, channelId: event.channel });
    const { blocks, text } = renderForSlack(welcomeReply(locale));
    await client.chat.postMessage({ channel: event.channel, blocks, text } as never);
  });
  app.event('member_left_channel', async ({ event, context }) => {
    if (event.user === context.botUserId) await references.forget(addressOf(event.team, event.channel, event.channel_type));
  });
  app.event('channel_left', async ({ event, body }) => {
    await references.forget(addressOf(String(body.team_id), event.channel));
  });
  app.event('group_left', async ({ event, body }) => {
    await references.forget(addressOf(String(body.team_id), event.channel, 'group'));
  });
}
