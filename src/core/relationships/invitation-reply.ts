import type { Locale, Reply } from '../chat.ts';
import { isAppError, toAppError } from '../errors.ts';
import { errorReply } from '../replies.ts';
import type { InvitationRequest } from './invitation-requests.ts';
import type { CustomParagraphs } from './invitation-texts.ts';

export interface InvitationView {
  request: InvitationRequest;
  link: string;
  partnerName: string;
  customText?: CustomParagraphs;
  editing?: boolean;
  /** The user asked for the plain text to copy (Slack shows it in a modal; Teams opens it on the card). */
  copy?: boolean;
  canEditForTenant?: boolean;
}

/** The invitation card's data (cards/invitation.json). The link is passed through untouched. */
export function toInvitationReply(locale: Locale, view: InvitationView, updatesCard = false): Reply {
  const { request } = view;
  return {
    template: 'invitation',
    locale,
    updatesCard,
    data: {
      invitationId: request.id,
      variant: request.variant,
      ...(request.provider ? { provider: request.provider } : {}),
      customerLocale: request.customerLocale,
      partnerName: view.partnerName,
      ...(view.customText ? { customText: view.customText } : {}),
      link: view.link,
      editing: view.editing ?? false,
      ...(view.copy ? { copy: true } : {}),
      canEditForTenant: view.canEditForTenant ?? false,
    },
  };
}

/** A failed Partner Center call as the card the user sees: translated code, correlation id for support. */
export function toFailureReply(locale: Locale, error: unknown, correlationId: string): Reply {
  const appError = isAppError(error) ? error : toAppError(error);
  const detail = typeof appError.params.detail === 'string' ? appError.params.detail : undefined;
  return errorReply(locale, appError.code, { correlationId, params: appError.params, ...(detail ? { detail } : {}) });
}
