import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.ts';

const TTL_MS = 10 * 60 * 1000;

/**
 * Slack Connect channels and DMs hold people from other organisations (`is_ext_shared`). Asked only when a
 * command needs it, remembered for ten minutes. When Slack cannot tell us, we assume outsiders (fail closed).
 */
export function createSharedChannelCheck(client: WebClient, log: Logger, now: () => number = Date.now) {
  const cache = new Map<string, { shared: boolean; expires: number }>();
  return async function isSharedWithOutsiders(channelId: string): Promise<boolean> {
    const hit = cache.get(channelId);
    if (hit && hit.expires > now()) return hit.shared;
    try {
      const result = await client.conversations.info({ channel: channelId });
      const shared = Boolean(result.channel?.is_ext_shared || result.channel?.is_pending_ext_shared);
      cache.set(channelId, { shared, expires: now() + TTL_MS });
      return shared;
    } catch (error) {
      log.warn({ err: error, platform: 'slack', conversationId: channelId }, 'conversations.info failed; treating the channel as shared');
      return true;
    }
  };
}
