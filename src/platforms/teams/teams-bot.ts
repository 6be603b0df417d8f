import { TurnContext, type Activity } from 'botbuilder';
import { isTenantAllowed } from '../../core/access.ts';
import type { Locale, Reply } from '../../core/chat.ts';
import { welcomeReply } from '../../core/replies.ts';
import type { ChatHandler } from '../../core/handle-chat-event.ts';
import type { Logger } from '../../logger.ts';
import { renderForTeams } from '../../render/render-reply.ts';
import type { ConversationReferences } from '../conversation-references.ts';
import { hasOutsideMembers } from './outside-members.ts';
import { toCardMessage } from './teams-sender.ts';
import { tenantOf, toChatEvent } from './to-chat-event.ts';

export interface TeamsBotDependencies {
  handleChat: ChatHandler;
  references: ConversationReferences;
  allowedTenants: readonly string[];
  defaultLocale: Locale;
  log: Logger;
}

export type TeamsLogic = (context: TurnContext) => Promise<void>;

/** The turn logic: thin. Parse, remember where we are, call the core, render, send. */
export function createTeamsBot(deps: TeamsBotDependencies): TeamsLogic {
  return async (context) => {
    const activity = context.activity;
    const event = { ...toChatEvent(activity), isExternal: () => hasOutsideMembers(context, tenantOf(activity)) };
    const allowed = isTenantAllowed(event.address, deps.allowedTenants);
    if (activity.type === 'installationUpdate' || activity.type === 'conversationUpdate') {
      if (!allowed) return;
      const added = await trackInstallation(activity, deps.references, event.address);
      // conversationUpdate (not installationUpdate, which comes too) so the welcome is said once.
      if (added && activity.type === 'conversationUpdate') await context.sendActivity(toCardMessage(welcomeReply(deps.defaultLocale)));
      return;
    }
    if (activity.type !== 'message' && !isCardAction(activity)) return;
    if (allowed) await deps.references.remember(event.address, { ...TurnContext.getConversationReference(activity) });
    const reply = await deps.handleChat(event);
    if (!reply) return;
    if (isCardAction(activity) && activity.type === 'invoke') {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: toInvokeCard(reply) } });
      return;
    }
    const message = toCardMessage(reply);
    // Action.Submit: replace the clicked card in place rather than adding a new one below it.
    if (reply.updatesCard && activity.replyToId) await context.updateActivity({ ...message, id: activity.replyToId });
    else await context.sendActivity(message);
  };
}

function isCardAction(activity: Activity): boolean {
  return (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') || (activity.type === 'message' && !!activity.value);
}

/** Universal Actions answer with the card that replaces the clicked one. */
function toInvokeCard(reply: Reply): object {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: renderForTeams(reply) };
}

/** Stores or forgets the conversation; true when the bot was just added. */
async function trackInstallation(activity: Activity, references: ConversationReferences, address: ReturnType<typeof toChatEvent>['address']): Promise<boolean> {
  const botId = activity.recipient?.id;
  const added = activity.action === 'add' || activity.action === 'add-upgrade' || (activity.membersAdded ?? []).some((member) => member.id === botId);
  const removed = activity.action === 'remove' || (activity.membersRemoved ?? []).some((member) => member.id === botId);
  if (removed) await references.forget(address);
  else if (added) await references.remember(address, { ...TurnContext.getConversationReference(activity) });
  return added && !removed;
}
