import type { Strings } from '../../i18n/index.ts';
import { toInertText } from '../inert.ts';
import type { DataPreparer } from './types.ts';

/** What the core sends with `Reply { template: 'restoration' }` (core/restoration/restoration-reply.ts). */
export interface RestorationCardData {
  customerId: string;
  customerName?: string;
  step: string;
  reason: string;
  note?: string;
  canAct?: boolean;
  partnerName: string;
  proposal?: { template: string; roles: string[]; duration: string; autoExtend: boolean; autoExtendAllowed: boolean };
  relationship?: { displayName: string; approvalLink: string };
  templates: string[];
}

const OPEN = new Set(['needs-invitation', 'proposed', 'awaiting-approval', 'assigning']);
const APPROVAL_LINK = /^https:\/\/admin\.microsoft\.com\/AdminPortal\/Home#\/partners\/invitation\/granularAdminRelationships\/[0-9A-Za-z-]+$/;
const MAILTO_MAX_CHARS = 2_000;

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

function pick(table: Record<string, string>, key: string | undefined, fallback = ''): string {
  return key !== undefined && Object.hasOwn(table, key) ? (table[key] ?? fallback) : fallback;
}

/** The restoration card: every line assembled here from our strings, names made inert, the approval link checked. */
export const restorationPreparer: DataPreparer = {
  // The approval link is built by us from the relationship id, and must reach the customer unchanged.
  verbatimKeys: ['relationship'],
  prepare(data, { t }) {
    const card = data as unknown as RestorationCardData;
    const r = t.restoration;
    const customer = toInertText(card.customerName || card.customerId, 200);
    const proposal = card.proposal;
    const roleNames = (roles: string[] | undefined, of: Strings['restoration']) => (roles ?? []).map((role) => pick(of.roleNames, role, role)).join(', ');
    const days = proposal ? Number(/^P(\d+)D$/.exec(proposal.duration)?.[1] ?? 0) : 0;
    const message = customerMessage(card, r, days, roleNames(proposal?.roles, r));
    return {
      title: fill(r.title, { customer }),
      noteText: pick(r.notes, card.note),
      reasonText: pick(r.reasons, card.reason, r.reasons.manual),
      showMeaning: card.reason !== 'manual' && card.reason !== 'gdap-expiring' && OPEN.has(card.step),
      stepText: pick(r.steps, card.step),
      step: card.step,
      open: OPEN.has(card.step),
      canAct: card.canAct === true,
      customerId: card.customerId,
      showProposal: card.step === 'proposed' && !!proposal,
      rolesText: roleNames(proposal?.roles, r),
      durationText: fill(r.proposal.durationValue, { days }),
      autoExtendAllowed: proposal?.autoExtendAllowed === true,
      autoExtendText: !proposal?.autoExtendAllowed ? r.proposal.autoExtendRefused : proposal.autoExtend ? r.proposal.autoExtendOn : r.proposal.autoExtendOff,
      templates: card.templates.map((name) => ({ name, label: pick(r.proposal.templates, name, name) })),
      // Only a link we built ourselves reaches the customer; anything else shows no message at all.
      showMessage: card.step === 'awaiting-approval' && message.link !== '',
      message,
    };
  },
};

/** The approval request in the conversation's language, with the link exactly as built from the relationship id. */
function customerMessage(card: RestorationCardData, r: Strings['restoration'], days: number, roles: string) {
  const link = card.relationship?.approvalLink ?? '';
  if (!APPROVAL_LINK.test(link)) return { body: '', link: '', mailto: '' };
  const partner = toInertText(card.partnerName, 200);
  const body = fill(r.customerMessage.body, { partner, name: toInertText(card.relationship?.displayName ?? '', 50), days, roles });
  const subject = fill(r.customerMessage.subject, { partner });
  const mailto = `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(`${body}\r\n\r\n${link}`.replace(/\r?\n/g, '\r\n'))}`;
  return { body, link, mailto: mailto.length <= MAILTO_MAX_CHARS ? mailto : '' };
}
