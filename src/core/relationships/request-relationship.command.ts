import { randomUUID } from 'node:crypto';
import type { Reply } from '../chat.ts';
import type { Command, CommandContext } from '../commands/command.ts';
import { AppError } from '../errors.ts';
import { errorReply } from '../replies.ts';
import type { InvitationRequests } from './invitation-requests.ts';
import { toFailureReply, toInvitationReply } from './invitation-reply.ts';
import type { InvitationTexts } from './invitation-texts.ts';
import { parseInvitationArgs } from './parse-invitation-args.ts';
import type { CallContext, IndirectProvider, PartnerCenter } from './partner-center.port.ts';
import { toIndirectLink, type RelationshipLinkSource } from './relationship-link.ts';

export interface InvitationDependencies {
  partnerCenter: PartnerCenter;
  links: RelationshipLinkSource;
  texts: InvitationTexts;
  requests: InvitationRequests;
  partnerName: string;
}

/** `request relationship [indirect <provider>] [lang de|en]`: the invitation email, ready to send. */
export function createRequestRelationshipCommand(deps: InvitationDependencies): Command {
  return {
    name: 'request relationship',
    key: 'request-relationship',
    usage: 'request relationship [indirect <provider>] [lang de|en]',
    aliases: ['invite', 'beziehung anfordern', 'einladen'],
    adminOnly: false,
    run: (context) => requestRelationship(deps, context),
  };
}

async function requestRelationship(deps: InvitationDependencies, { event, locale, isAdmin, args }: CommandContext): Promise<Reply> {
  const parsed = parseInvitationArgs(args);
  if (!parsed.ok) return errorReply(locale, 'INVITATION.BAD_ARGUMENTS', { detail: parsed.problem });
  // The link identifies the partner: it never goes where people from outside can read it.
  if (event.address.external || (await event.isExternal?.())) return errorReply(locale, 'INVITATION.EXTERNAL_CONVERSATION');
  const customerLocale = parsed.args.customerLocale ?? locale;
  const call: CallContext = { locale: customerLocale, correlationId: randomUUID() };
  try {
    const [provider, link] = await Promise.all([
      parsed.args.indirect ? findProvider(deps.partnerCenter, parsed.args.provider, call) : undefined,
      deps.links.getLink(call),
    ]);
    // Recorded only once Partner Center has answered (a failed request is no pending invitation), and
    // alongside the text lookup rather than after it: one store round trip less on every invitation.
    const [customText, request] = await Promise.all([
      deps.texts.get(event.address),
      deps.requests.record({
        address: event.address,
        requestedBy: { id: event.user.id, name: event.user.name },
        customerLocale,
        variant: provider ? 'indirect' : 'direct',
        ...(provider ? { provider: { id: provider.id, name: provider.name } } : {}),
      }),
    ]);
    return toInvitationReply(locale, {
      request,
      link: provider ? toIndirectLink(link, provider.id) : link,
      partnerName: deps.partnerName,
      customText,
      canEditForTenant: isAdmin,
    });
  } catch (error) {
    return toFailureReply(locale, error, call.correlationId);
  }
}

/** The provider by tenant id, or by a unique part of its name. */
async function findProvider(partnerCenter: PartnerCenter, wanted: string | undefined, call: CallContext): Promise<IndirectProvider> {
  const providers = await partnerCenter.listIndirectProviders(call);
  const needle = (wanted ?? '').toLowerCase();
  const byId = providers.find((provider) => provider.id.toLowerCase() === needle);
  const byName = providers.filter((provider) => needle && provider.name.toLowerCase().includes(needle));
  const found = byId ?? (byName.length === 1 ? byName[0] : undefined);
  if (found) return found;
  throw new AppError('INVITATION.PROVIDER_NOT_FOUND', { params: { detail: providers.map((provider) => provider.name).join(', ') } });
}

