import { randomUUID } from 'node:crypto';
import type { ChatEvent, Locale, Reply } from '../chat.ts';
import type { ActionContext, ActionHandler } from '../commands/action.ts';
import { errorReply } from '../replies.ts';
import type { InvitationRequest } from './invitation-requests.ts';
import { toFailureReply, toInvitationReply } from './invitation-reply.ts';
import type { InvitationDependencies } from './request-relationship.command.ts';
import { toIndirectLink } from './relationship-link.ts';

interface ViewOptions {
  editing?: boolean;
  copy?: boolean;
}

/** The invitation card's buttons: edit, save (conversation or tenant), cancel, reset. The link is never editable. */
export function createInvitationActions(deps: InvitationDependencies): Record<string, ActionHandler> {
  const withRequest = (handle: (context: ActionContext, request: InvitationRequest) => Promise<Reply>): ActionHandler =>
    async (context) => {
      const request = await deps.requests.get(String(context.data.invitationId ?? ''));
      if (!request || !isSameConversation(request, context.event)) return errorReply(context.locale, 'INVITATION.NOT_FOUND');
      // Every button re-renders the link: check again, the conversation may have let outsiders in since.
      if (await isExternal(context.event)) return errorReply(context.locale, 'INVITATION.EXTERNAL_CONVERSATION');
      return handle(context, request);
    };
  const show = (context: ActionContext, request: InvitationRequest, options: ViewOptions = {}) => rerender(deps, context, request, options);
  return {
    'invitation.edit': withRequest((context, request) => show(context, request, { editing: true })),
    'invitation.cancel': withRequest((context, request) => show(context, request)),
    'invitation.copy': withRequest((context, request) => show(context, request, { copy: true })),
    'invitation.reset': withRequest(async (context, request) => {
      await deps.texts.reset(context.event.address);
      return show(context, request);
    }),
    'invitation.save': withRequest(async (context, request) => {
      const scope = context.data.scope === 'tenant' ? 'tenant' : 'conversation';
      if (scope === 'tenant' && !context.isAdmin) return errorReply(context.locale, 'ACCESS.ADMIN_ONLY');
      const paragraph1 = String(context.data.paragraph1 ?? '').trim();
      const paragraph2 = String(context.data.paragraph2 ?? '').trim();
      if (!paragraph1 && !paragraph2) await deps.texts.reset(context.event.address);
      else await deps.texts.save(context.event.address, scope, { paragraph1, paragraph2 });
      return show(context, request);
    }),
  };
}

async function isExternal(event: ChatEvent): Promise<boolean> {
  return Boolean(event.address.external || (await event.isExternal?.()));
}

/** A button only acts on a request made in the same conversation (the card may have been forwarded). */
function isSameConversation(request: InvitationRequest, event: ChatEvent): boolean {
  const a = request.address;
  const b = event.address;
  return a.platform === b.platform && a.tenantId === b.tenantId && a.conversationId === b.conversationId;
}

async function rerender(deps: InvitationDependencies, context: ActionContext, request: InvitationRequest, options: ViewOptions): Promise<Reply> {
  const locale: Locale = context.locale;
  const correlationId = randomUUID();
  try {
    const link = await deps.links.getLink({ locale: request.customerLocale, correlationId });
    return toInvitationReply(
      locale,
      {
        request,
        link: request.provider ? toIndirectLink(link, request.provider.id) : link,
        partnerName: deps.partnerName,
        customText: await deps.texts.get(context.event.address),
        editing: options.editing,
        copy: options.copy,
        canEditForTenant: context.isAdmin,
      },
      true,
    );
  } catch (error) {
    return toFailureReply(locale, error, correlationId);
  }
}
