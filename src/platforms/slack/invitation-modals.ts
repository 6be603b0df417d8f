import type { Locale, Reply } from '../../core/chat.ts';
import { strings } from '../../i18n/index.ts';
import { toInvitationEditModal, toInvitationTextModal } from '../../render/invitation-modal.ts';
import { toInvitationEmail, type InvitationData } from '../../render/prepare/invitation.prepare.ts';

/** Where the card that opened a modal lives, so the modal's result can update it. */
export interface CardLocation {
  channelId: string;
  messageTs?: string;
}

/**
 * Slack messages cannot hold editable inputs the way a Teams card can, so "Edit text" and "Copy text"
 * open modals. Returns the modal view for a reply that asks for one, else undefined.
 */
export function toInvitationModal(reply: Reply, location: CardLocation): Record<string, unknown> | undefined {
  if (reply.template !== 'invitation') return undefined;
  const data = reply.data as unknown as InvitationData & { editing?: boolean; copy?: boolean; canEditForTenant?: boolean; customerLocale: Locale };
  if (!data.editing && !data.copy) return undefined;
  const email = toInvitationEmail(data, strings(data.customerLocale));
  const view = data.copy
    ? toInvitationTextModal({ plainText: email.plainText, locale: reply.locale })
    : toInvitationEditModal({
        invitationId: String(data.invitationId),
        paragraph1: email.paragraph1,
        paragraph2: email.paragraph2,
        canEditForTenant: data.canEditForTenant ?? false,
        locale: reply.locale,
      });
  return { ...view, private_metadata: JSON.stringify({ invitationId: data.invitationId, ...location }) };
}

/** The save modal's result as the data of an `invitation.save` action. */
export function toSaveActionData(view: { private_metadata?: string; state?: { values?: Record<string, Record<string, unknown>> } }): {
  data: Record<string, unknown>;
  location: CardLocation;
} {
  const metadata = JSON.parse(view.private_metadata ?? '{}') as { invitationId?: string } & CardLocation;
  const values = view.state?.values ?? {};
  const text = (id: string) => (values[id]?.[id] as { value?: string | null } | undefined)?.value ?? '';
  const scope = (values.scope?.scope as { selected_option?: { value?: string } } | undefined)?.selected_option?.value;
  return {
    data: { action: 'invitation.save', invitationId: metadata.invitationId, paragraph1: text('paragraph1'), paragraph2: text('paragraph2'), scope: scope ?? 'conversation' },
    location: { channelId: metadata.channelId, messageTs: metadata.messageTs },
  };
}
