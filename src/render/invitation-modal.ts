import type { Locale } from '../core/chat.ts';
import { strings } from '../i18n/index.ts';
import { toPlainTextObject } from './block-kit-actions.ts';
import { toRichTextElements } from './markdown-subset.ts';
import { toInertText } from './inert.ts';
import { CUSTOM_PARAGRAPH_MAX_CHARS } from './prepare/invitation.prepare.ts';

type SlackObject = Record<string, unknown>;

/** Slack's limits for a modal's title, submit and close texts. */
export const SLACK_MODAL_TITLE_MAX_CHARS = 24;
const PRIVATE_METADATA_MAX_CHARS = 3_000;
const INPUT_LABEL_MAX_CHARS = 2_000;
const OPTION_TEXT_MAX_CHARS = 75;
// The email is at most two 1,000-character paragraphs, a provider note, the instruction and a 2,048-character link.
const EMAIL_TEXT_MAX_CHARS = 8_000;

/** `view.callback_id` of the edit modal; `view_submission` payloads with it save the text. */
export const INVITATION_SAVE_CALLBACK_ID = 'invitation.save';
/** block_id and action_id of the scope radio buttons (only when the user may save for the tenant). */
export const INVITATION_SCOPE_INPUT_ID = 'scope';

export interface InvitationEditModalInput {
  invitationId: string;
  /** Current paragraphs (saved or standard), e.g. from `toInvitationEmail`. Untrusted. */
  paragraph1: string;
  paragraph2: string;
  canEditForTenant?: boolean;
  /** The conversation's language (the modal speaks to the seller). */
  locale: Locale;
}

/**
 * The Slack `views.open` view for editing the first two paragraphs. On submit Slack sends a
 * `view_submission` with `callback_id: 'invitation.save'`, `private_metadata` = `{"invitationId":…}` and
 * `view.state.values.paragraph1.paragraph1.value`, `…paragraph2.paragraph2.value` (null when cleared) and,
 * when offered, `…scope.scope.selected_option.value` (`'conversation'` | `'tenant'`; absent → conversation).
 */
export function toInvitationEditModal(input: InvitationEditModalInput): SlackObject {
  const t = strings(input.locale).invitation.edit;
  const blocks: SlackObject[] = [
    { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: toRichTextElements(t.intro) }] },
    toParagraphInput('paragraph1', t.paragraph1Label, input.paragraph1),
    toParagraphInput('paragraph2', t.paragraph2Label, input.paragraph2),
  ];
  if (input.canEditForTenant === true) blocks.push(toScopeInput(input.locale));
  return {
    type: 'modal',
    callback_id: INVITATION_SAVE_CALLBACK_ID,
    private_metadata: toPrivateMetadata(input.invitationId),
    title: toPlainTextObject(t.modalTitle, SLACK_MODAL_TITLE_MAX_CHARS),
    submit: toPlainTextObject(t.modalSubmit, SLACK_MODAL_TITLE_MAX_CHARS),
    close: toPlainTextObject(t.modalClose, SLACK_MODAL_TITLE_MAX_CHARS),
    blocks,
  };
}

/**
 * The Slack modal behind "Copy text" (button value `{ action: 'invitation.copy', invitationId, card }`):
 * the whole email as one preformatted block, literal (no mrkdwn, no links), to select and copy in one go.
 * `plainText` is `toInvitationEmail(…).plainText`.
 */
export function toInvitationTextModal(input: { plainText: string; locale: Locale }): SlackObject {
  const t = strings(input.locale).invitation.copy;
  return {
    type: 'modal',
    title: toPlainTextObject(t.modalTitle, SLACK_MODAL_TITLE_MAX_CHARS),
    close: toPlainTextObject(t.modalClose, SLACK_MODAL_TITLE_MAX_CHARS),
    blocks: [
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: t.hint }] }] },
      { type: 'rich_text', elements: [{ type: 'rich_text_preformatted', elements: toParagraphElements(input.plainText) }] },
    ],
  };
}

/** One text element per paragraph (each well under Slack's 3,000 characters, the link never cut), blank lines between. */
function toParagraphElements(plainText: string): SlackObject[] {
  const paragraphs = toInertText(plainText, EMAIL_TEXT_MAX_CHARS).split('\n\n').filter((paragraph) => paragraph !== '');
  return paragraphs.flatMap((text, index) => [...(index > 0 ? [{ type: 'text', text: '\n\n' }] : []), { type: 'text', text }]);
}

function toParagraphInput(id: 'paragraph1' | 'paragraph2', label: string, value: string): SlackObject {
  const element: SlackObject = { type: 'plain_text_input', action_id: id, multiline: true, max_length: CUSTOM_PARAGRAPH_MAX_CHARS };
  const initial = toInertText(value, CUSTOM_PARAGRAPH_MAX_CHARS);
  if (initial !== '') element.initial_value = initial;
  // Optional: clearing a paragraph is allowed (the email then goes without it).
  return { type: 'input', block_id: id, optional: true, label: toPlainTextObject(label, INPUT_LABEL_MAX_CHARS), element };
}

function toScopeInput(locale: Locale): SlackObject {
  const t = strings(locale).invitation.edit;
  const conversation = { text: toPlainTextObject(t.scopeConversation, OPTION_TEXT_MAX_CHARS), value: 'conversation' };
  const tenant = { text: toPlainTextObject(t.scopeTenant, OPTION_TEXT_MAX_CHARS), value: 'tenant' };
  return {
    type: 'input',
    block_id: INVITATION_SCOPE_INPUT_ID,
    label: toPlainTextObject(t.scopeLabel, INPUT_LABEL_MAX_CHARS),
    element: { type: 'radio_buttons', action_id: INVITATION_SCOPE_INPUT_ID, options: [conversation, tenant], initial_option: conversation },
  };
}

function toPrivateMetadata(invitationId: string): string {
  if (typeof invitationId !== 'string' || invitationId === '') throw new Error('The invitation edit modal needs an invitationId');
  const metadata = JSON.stringify({ invitationId });
  if (metadata.length > PRIVATE_METADATA_MAX_CHARS) throw new Error(`private_metadata would be over ${PRIVATE_METADATA_MAX_CHARS} characters`);
  return metadata;
}
