import { webApi } from '@slack/bolt';
import type { ChatSender } from '../../core/delivery/chat-sender.port.ts';
import { DeliveryFailure } from '../../core/delivery/chat-sender.port.ts';
import type { Logger } from '../../logger.ts';
import { renderForSlack } from '../../render/render-reply.ts';
import type { ConversationReferences } from '../conversation-references.ts';
import { toSlackLogger } from './slack-logger.ts';

/** Slack errors that mean the bot can no longer post in that channel. */
const GONE = new Set(['channel_not_found', 'is_archived', 'not_in_channel', 'account_inactive', 'team_access_not_granted', 'missing_scope_channel']);
const MESSAGE_GONE = new Set(['message_not_found', 'cant_update_message']);
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

export interface SlackSenderOptions {
  token: string;
  apiUrl: string;
  references: ConversationReferences;
  log: Logger;
}

/**
 * Notifications into Slack channels: chat.postMessage, chat.update, and follow-ups with thread_ts.
 * Its own WebClient with the SDK's retries and rate-limit queue switched off: the outbox worker owns
 * retries and Retry-After (per channel, durable), so nothing waits invisibly inside a call.
 */
export function createSlackSender(options: SlackSenderOptions): ChatSender {
  const client = new webApi.WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
    logger: toSlackLogger(options.log),
  });

  async function channelOf(conversationKey: string): Promise<string> {
    const stored = await options.references.get(conversationKey);
    const channel = stored?.reference.channelId ?? stored?.address.conversationId;
    if (typeof channel !== 'string' || !channel) throw new DeliveryFailure('permanent', 'no conversation reference for this channel');
    return channel;
  }

  async function call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toSlackFailure(error);
    }
  }

  return {
    async post(key, reply) {
      const channel = await channelOf(key);
      const { blocks, text } = renderForSlack(reply);
      const result = await call(() => client.chat.postMessage({ channel, blocks, text } as never));
      if (typeof result.ts !== 'string') throw new DeliveryFailure('transient', 'Slack accepted the message but returned no ts');
      return result.ts;
    },
    async update(key, messageRef, reply) {
      const channel = await channelOf(key);
      const { blocks, text } = renderForSlack(reply);
      try {
        await call(() => client.chat.update({ channel, ts: messageRef, blocks, text } as never));
        return true;
      } catch (error) {
        if (error instanceof DeliveryFailure && error.kind === 'permanent' && MESSAGE_GONE.has(slackErrorCode(error.cause) ?? '')) return false;
        throw error;
      }
    },
    async postFollowUp(key, messageRef, reply) {
      const channel = await channelOf(key);
      const { blocks, text } = renderForSlack(reply);
      await call(() => client.chat.postMessage({ channel, thread_ts: messageRef, blocks, text } as never));
    },
  };
}

function slackErrorCode(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  return typeof code === 'string' ? code : undefined;
}

/** @slack/web-api errors → what the worker should do. */
export function toSlackFailure(error: unknown): DeliveryFailure {
  const { code, retryAfter, statusCode } = error as { code?: string; retryAfter?: number; statusCode?: number };
  const message = error instanceof Error ? error.message.slice(0, 200) : String(error);
  if (code === webApi.ErrorCode.RateLimitedError) return new DeliveryFailure('rate-limited', message, { retryAfterMs: (retryAfter ?? 1) * 1000, cause: error });
  if (code === webApi.ErrorCode.PlatformError) {
    const slackCode = slackErrorCode(error) ?? '';
    if (GONE.has(slackCode)) return new DeliveryFailure('gone', message, { cause: error });
    return new DeliveryFailure(TRANSIENT.has(slackCode) ? 'transient' : 'permanent', message, { cause: error });
  }
  if (code === webApi.ErrorCode.HTTPError && statusCode !== undefined && statusCode >= 400 && statusCode < 500 && statusCode !== 408) {
    return new DeliveryFailure('permanent', message, { cause: error });
  }
  return new DeliveryFailure('transient', message, { cause: error });
}
