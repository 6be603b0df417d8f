import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Reply } from '../../core/chat.ts';
import { renderForSlack } from '../../render/render-reply.ts';
import { toInvitationModal } from './invitation-modals.ts';
import { sendSlackReply } from './send-slack-reply.ts';
import type { SlackOrigin } from './to-chat-event.ts';

/** What the edge knows about the request a reply answers. */
export interface SlackDelivery {
  origin: SlackOrigin;
  direct: boolean;
  /** Button clicks: the message the button sits on, and the trigger that may open a modal. */
  messageTs?: string;
  ephemeral?: boolean;
  triggerId?: string;
  respond?: RespondFn;
}

/** Opens a modal, replaces the clicked message, or posts a new one: whichever the reply asks for. */
export async function deliverSlackReply(client: WebClient, reply: Reply, delivery: SlackDelivery): Promise<void> {
  const modal = delivery.triggerId ? toInvitationModal(reply, { channelId: delivery.origin.channelId, messageTs: delivery.messageTs }) : undefined;
  if (modal && delivery.triggerId) {
    await client.views.open({ trigger_id: delivery.triggerId, view: modal as never });
    return;
  }
  if (reply.updatesCard && delivery.messageTs) {
    const { blocks, text } = renderForSlack(reply);
    if (delivery.ephemeral && delivery.respond) await delivery.respond({ replace_original: true, blocks, text } as never);
    else await client.chat.update({ channel: delivery.origin.channelId, ts: delivery.messageTs, blocks, text } as never);
    return;
  }
  try {
    await sendSlackReply(client, delivery.origin, reply, delivery.direct);
  } catch (error) {
    if (!delivery.respond || !isNotInChannel(error)) throw error;
    // The bot is not a member of this channel: answer through the request's response_url instead.
    const { blocks, text } = renderForSlack(reply);
    await delivery.respond({ blocks, text, response_type: 'ephemeral' } as never);
  }
}

function isNotInChannel(error: unknown): boolean {
  const code = (error as { data?: { error?: string } }).data?.error;
  return code === 'not_in_channel' || code === 'channel_not_found';
}
