import { CardFactory, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import type { Reply } from '../../core/chat.ts';
import { DeliveryFailure, type ChatSender } from '../../core/delivery/chat-sender.port.ts';
import { renderForTeams } from '../../render/render-reply.ts';
import type { ConversationReferences } from '../conversation-references.ts';
import type { TeamsAdapter } from './teams-adapter.ts';

/**
 * Proactive Teams messages through the stored conversation reference. Follow-ups go into the card's reply
 * chain in channels (`;messageid=` addresses the thread); chats have no threads, so there they are plain
 * messages under the updated card.
 */
export function createTeamsSender(adapter: TeamsAdapter, botAppId: string, references: ConversationReferences): ChatSender {
  async function withConversation<T>(conversationKey: string, logic: (context: TurnContext) => Promise<T>, threadOf?: string): Promise<T> {
    const stored = await references.get(conversationKey);
    if (!stored) throw new DeliveryFailure('permanent', 'no conversation reference for this conversation');
    const reference = inThread(stored.reference as Partial<ConversationReference>, threadOf);
    let result: T | undefined;
    let failure: unknown;
    try {
      await adapter.continueConversationAsync(botAppId, reference, async (context) => {
        withoutHiddenRetries(context);
        // Caught here: with onTurnError set, botbuilder would hand the error to it and return as if sent.
        try {
          result = await logic(context);
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined) throw toTeamsFailure(failure);
    return result as T;
  }

  return {
    post: (key, reply) =>
      withConversation(key, async (context) => {
        const response = await context.sendActivity(toCardMessage(reply));
        if (!response?.id) throw new DeliveryFailure('transient', 'Teams accepted the message but returned no id');
        return response.id;
      }),
    update: (key, messageRef, reply) =>
      withConversation(key, async (context) => {
        try {
          await context.updateActivity({ ...toCardMessage(reply), id: messageRef });
          return true;
        } catch (error) {
          // The card was deleted: post a new one. Any other failure is the conversation's (below).
          if (statusOf(error) === 404) return false;
          throw error;
        }
      }),
    postFollowUp: (key, messageRef, reply) =>
      withConversation(
        key,
        async (context) => {
          await context.sendActivity(toCardMessage(reply));
        },
        messageRef,
      ),
  };
}

/**
 * The connector client retries 429 and 5xx three times on its own, waiting inside the call. The outbox
 * worker must see them instead: to pause that conversation (and only it) and to count the attempt.
 */
function withoutHiddenRetries(context: TurnContext): void {
  const key = (context.adapter as { ConnectorClientKey?: symbol }).ConnectorClientKey;
  const connector = key ? (context.turnState.get(key) as { client?: { pipeline?: { removePolicy(options: { name: string }): unknown } } } | undefined) : undefined;
  connector?.client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
}

/**
 * A channel reference remembers the thread the bot was last spoken to in (`…;messageid=<id>`). A card
 * starts its own thread, so it goes to the channel itself; its follow-ups go to the card's thread.
 */
function inThread(reference: Partial<ConversationReference>, rootMessageId?: string): Partial<ConversationReference> {
  const conversation = reference.conversation;
  if (conversation?.conversationType !== 'channel') return reference;
  const channelId = String(conversation.id).split(';')[0] ?? '';
  return { ...reference, conversation: { ...conversation, id: rootMessageId ? `${channelId};messageid=${rootMessageId}` : channelId } };
}

export function toCardMessage(reply: Reply): Partial<Activity> {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(renderForTeams(reply))] };
}

/** Connector errors (RestError from @azure/core-rest-pipeline) → what the worker should do. */
export function toTeamsFailure(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  const status = statusOf(error);
  const message = `Teams answered ${status ?? 'without a status'}: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`;
  if (status === 429) return new DeliveryFailure('rate-limited', message, { retryAfterMs: retryAfterMs(error), cause: error });
  if (status === 403 || status === 404) return new DeliveryFailure('gone', message, { cause: error });
  if (status !== undefined && status >= 400 && status < 500 && status !== 408) return new DeliveryFailure('permanent', message, { cause: error });
  return new DeliveryFailure('transient', message, { cause: error });
}

function statusOf(error: unknown): number | undefined {
  const candidate = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  const status = candidate.statusCode ?? candidate.status ?? candidate.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: { get?: (name: string) => string | undefined } } }).response?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  const seconds = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
