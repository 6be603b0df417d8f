import type { WebClient } from '@slack/web-api';
import type { Reply } from '../../core/chat.ts';
import { renderForSlack } from '../../render/render-reply.ts';
import type { SlackOrigin } from './to-chat-event.ts';

/**
 * Posts a reply where the request came from. Private replies in shared conversations are ephemeral;
 * in a direct message everything is a normal message.
 */
export async function sendSlackReply(client: WebClient, origin: SlackOrigin, reply: Reply, direct: boolean): Promise<void> {
  const { blocks, text } = renderForSlack(reply);
  const thread = origin.threadTs ? { thread_ts: origin.threadTs } : {};
  if (reply.private && !direct) {
    await client.chat.postEphemeral({ channel: origin.channelId, user: origin.userId, blocks, text, ...thread } as never);
    return;
  }
  await client.chat.postMessage({ channel: origin.channelId, blocks, text, ...thread } as never);
}
