import { LOCALES, type Locale } from '../../core/chat.ts';
import type { Strings } from '../../i18n/index.ts';
import { capLength, toInertText } from '../inert.ts';
import type { DataPreparer } from './types.ts';

/** What the core sends with `Reply { template: 'invitation' }`. */
export interface InvitationData {
  /** Binds the card's actions to the server-side invitation record. */
  invitationId: string;
  variant: 'direct' | 'indirect';
  /** Indirect only. `name` is untrusted. */
  provider?: { id: string; name: string };
  /** Language of the customer-facing email text. */
  customerLocale: Locale;
  /** PARTNER_DISPLAY_NAME: operator-controlled, still rendered inert. */
  partnerName: string;
  /** Paragraphs users saved: untrusted. */
  customText?: { paragraph1: string; paragraph2: string };
  /** The invitation URL exactly as Partner Center returned it (or the indirect form built from it). Never altered. */
  link: string;
  /** Teams: inline inputs instead of the two paragraphs. */
  editing?: boolean;
  /** The user may save the text for the whole tenant. */
  canEditForTenant?: boolean;
}

/** The email the customer gets, in the customer's language, as plain text (no markup anywhere). */
export interface InvitationEmail {
  subject: string;
  paragraph1: string;
  paragraph2: string;
  /** Indirect only: asks the customer to check the provider on the acceptance page. */
  providerNote?: string;
  instruction: string;
  /** Byte-identical to `data.link`. */
  link: string;
  /** Paragraphs, provider note, instruction and link, separated by blank lines (`\n`). */
  plainText: string;
  /** `mailto:?subject=…&body=…` of at most MAILTO_MAX_CHARS, or '' when even the bare link does not fit. */
  mailto: string;
}

/** Input.Text / plain_text_input limit for a custom paragraph, and the inert cap for stored ones. */
export const CUSTOM_PARAGRAPH_MAX_CHARS = 1_000;
/** Long enough for every Partner Center link (≈ 200 ASCII characters); a longer one is refused, never cut. */
export const INVITATION_LINK_MAX_CHARS = 2_048;
/** Mail clients and browsers cut or refuse longer mailto URLs (Outlook on Windows is the tightest). */
export const MAILTO_MAX_CHARS = 2_000;
const SUBJECT_MAX_CHARS = 200;
const PRINTABLE_ASCII = /^[\x21-\x7E]+$/;

/**
 * The link is shown and linked exactly as given: it is never made inert, cut or re-encoded, so it is
 * validated instead. Anything but a plain https URL of printable ASCII is refused; the error does not
 * quote the link (it identifies the partner and must not end up in logs).
 */
export function assertInvitationLink(link: unknown): asserts link is string {
  if (typeof link !== 'string' || link === '') throw new Error('Invitation link is missing');
  if (link.length > INVITATION_LINK_MAX_CHARS) throw new Error(`Invitation link is longer than ${INVITATION_LINK_MAX_CHARS} characters`);
  if (!PRINTABLE_ASCII.test(link)) throw new Error('Invitation link contains spaces, control or non-ASCII characters');
  let protocol: string;
  try {
    protocol = new URL(link).protocol;
  } catch {
    throw new Error('Invitation link is not a valid URL');
  }
  if (protocol !== 'https:') throw new Error('Invitation link is not an https URL');
}

/**
 * The customer's email for an invitation, shared by the card (prepare step) and the Slack edit modal.
 * Untrusted parts (partner and provider names, custom paragraphs) are made inert here too, so raw data
 * may be passed in; the link is validated and copied unchanged. `customerStrings` are the strings of
 * `data.customerLocale`: `toInvitationEmail(data, strings(data.customerLocale))`.
 */
export function toInvitationEmail(data: InvitationData, customerStrings: Pick<Strings, 'invitationEmail'>): InvitationEmail {
  assertInvitationLink(data.link);
  const texts = customerStrings.invitationEmail;
  const partner = toInertText(data.partnerName).trim();
  if (partner === '') throw new Error('An invitation needs the partner\'s name');
  const custom = isObject(data.customText) ? data.customText : undefined;
  const paragraph1 = custom ? toCustomParagraph(custom.paragraph1) : fill(texts.paragraph1, { partner });
  const paragraph2 = custom ? toCustomParagraph(custom.paragraph2) : fill(texts.paragraph2, {});
  const providerName = data.variant === 'indirect' ? toProviderName(data.provider) : undefined;
  const providerNote = providerName === undefined ? undefined : fill(texts.providerNote, { provider: providerName });
  const subject = capLength(fill(texts.subject, { partner }), SUBJECT_MAX_CHARS);
  const instruction = texts.instruction;
  const link = data.link;
  const parts = { paragraph1, paragraph2, providerNote, instruction, link };
  return {
    subject,
    paragraph1,
    paragraph2,
    ...(providerNote !== undefined && { providerNote }),
    instruction,
    link,
    plainText: joinParagraphs(parts, '\n'),
    mailto: toMailto(subject, parts),
  };
}

type EmailParts = Pick<InvitationEmail, 'paragraph1' | 'paragraph2' | 'providerNote' | 'instruction' | 'link'>;

/**
 * RFC 6068 mailto with an empty recipient. encodeURIComponent encodes spaces as %20 and every reserved
 * character of the link (`& # = ?`), so decoding the body gives the link back exactly; line breaks are
 * CRLF (%0D%0A). Over MAILTO_MAX_CHARS, both paragraphs are cut to the same length (with "…") – the
 * longest that fits; the instruction, provider note and link are never cut.
 */
function toMailto(subject: string, parts: EmailParts): string {
  const build = (cap: number) => {
    const body = joinParagraphs({ ...parts, paragraph1: capLength(parts.paragraph1, cap), paragraph2: capLength(parts.paragraph2, cap) }, '\r\n');
    return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
  };
  const longest = Math.max(Array.from(parts.paragraph1).length, Array.from(parts.paragraph2).length);
  const full = build(longest);
  if (full.length <= MAILTO_MAX_CHARS) return full;
  if (build(0).length > MAILTO_MAX_CHARS) return '';
  // The largest cap that fits: binary search, keeping `low` a cap known to fit.
  let low = 0;
  let high = longest;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (build(middle).length <= MAILTO_MAX_CHARS) low = middle;
    else high = middle - 1;
  }
  return build(low);
}

function joinParagraphs(parts: EmailParts, lineBreak: string): string {
  const paragraphs = [parts.paragraph1, parts.paragraph2, parts.providerNote, parts.instruction, parts.link];
  return paragraphs
    .filter((paragraph): paragraph is string => typeof paragraph === 'string' && paragraph !== '')
    .map((paragraph) => paragraph.replace(/\r?\n/g, lineBreak))
    .join(lineBreak + lineBreak);
}

/** `{name}` placeholders of our own strings, filled with (already inert) plain text. Unknown ones stay visible. */
function fill(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => (Object.hasOwn(params, name) ? (params[name] ?? placeholder) : placeholder));
}

function toCustomParagraph(value: unknown): string {
  return toInertText(value, CUSTOM_PARAGRAPH_MAX_CHARS).trim();
}

function toProviderName(provider: unknown): string {
  const name = isObject(provider) ? toInertText(provider.name).trim() : '';
  if (name === '') throw new Error('An indirect invitation needs the provider\'s name');
  return name;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toCustomerLocale(value: unknown, fallback: Locale): Locale {
  return LOCALES.find((locale) => locale === value) ?? fallback;
}

/**
 * `invitation`: adds the customer's email (`email`), the seller-facing summary line and plain booleans
 * for the template's `$when`s. Runs on inert data, except the link, which is validated and kept as is.
 */
export const invitationPreparer: DataPreparer = {
  verbatimKeys: ['link'],
  maxLengths: { customText: CUSTOM_PARAGRAPH_MAX_CHARS },
  prepare(data, { locale, t, stringsOf }) {
    const invitationId = typeof data.invitationId === 'string' ? data.invitationId : '';
    if (invitationId === '') throw new Error('An invitation needs its invitationId');
    const indirect = data.variant === 'indirect';
    const customerLocale = toCustomerLocale(data.customerLocale, locale);
    const custom = isObject(data.customText);
    const invitation: InvitationData = {
      invitationId,
      variant: indirect ? 'indirect' : 'direct',
      customerLocale,
      partnerName: toInertText(data.partnerName),
      link: data.link as string,
      ...(isObject(data.provider) && { provider: data.provider as InvitationData['provider'] }),
      ...(custom && { customText: data.customText as InvitationData['customText'] }),
    };
    const email = toInvitationEmail(invitation, stringsOf(customerLocale));
    const variant = indirect ? fill(t.invitation.variant.indirect, { provider: toProviderName(data.provider) }) : t.invitation.variant.direct;
    return {
      ...data,
      invitationId,
      link: email.link,
      email,
      summary: `${variant} · ${t.invitation.emailLanguage[customerLocale]}`,
      indirect,
      custom,
      editing: data.editing === true,
      canEditForTenant: data.canEditForTenant === true,
    };
  },
};
