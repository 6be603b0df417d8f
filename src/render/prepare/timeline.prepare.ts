import type { Locale } from '../../core/chat.ts';
import { GLOBAL_ADMINISTRATOR_ROLE, isRelationshipId } from '../../core/restoration/gdap.port.ts';
import type { Strings } from '../../i18n/index.ts';
import { toInertText } from '../inert.ts';
import type { DataPreparer } from './types.ts';

/** One event on a customer's card, as the core stores it. */
export interface TimelineEntryData {
  kind: string;
  /** ISO-8601 */
  at: string;
  expiresInDays?: number;
}

/** What the core sends with `Reply { template: 'customer-timeline' }` (and, with one entry, `timeline-update`). */
export interface TimelineCardData {
  customer?: { id: string; name?: string; domain?: string };
  identifying?: boolean;
  relationship?: { id?: string; displayName?: string; endDateTime?: string; roles?: string[] };
  /** Oldest first; the last one is what just happened. */
  entries: TimelineEntryData[];
}

const HISTORY_LINES = 10;
const REMOVALS = new Set(['admin-removed', 'admin-removed-by-microsoft']);

/** An `expiring` card's actions (auto-extend is not offered with Global Administrator: Microsoft refuses it): which relationship, and whether auto-extend may be offered for it. */
function expiryActions(card: TimelineCardData, latestKind: string | undefined): { expiring: boolean; relationshipId: string; autoExtendOffer: boolean } {
  const id = card.relationship?.id ?? '';
  const expiring = latestKind === 'gdap-expiring' && isRelationshipId(id) && Boolean(card.customer?.id);
  const roles = Array.isArray(card.relationship?.roles) ? card.relationship.roles : [];
  return { expiring, relationshipId: expiring ? id : '', autoExtendOffer: expiring && !roles.some((role) => String(role).toLowerCase() === GLOBAL_ADMINISTRATOR_ROLE) };
}
const DATE_LOCALES: Record<Locale, string> = { en: 'en-GB', de: 'de-DE' };

/** Built once per locale: constructing a DateTimeFormat costs more than formatting with it. */
const DATE_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat(DATE_LOCALES.en, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }),
  de: new Intl.DateTimeFormat(DATE_LOCALES.de, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }),
};

/** `25 Nov 2026, 10:15 UTC`: the card is read in several time zones, so it says which one. */
export function formatUtc(iso: string | undefined, locale: Locale): string {
  const time = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(time)) return '';
  return `${(DATE_FORMATS[locale] ?? DATE_FORMATS.en).format(time)} UTC`;
}

export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

function pick(table: Record<string, string>, kind: string): string {
  return (Object.hasOwn(table, kind) ? table[kind] : table.unknown) ?? '';
}

function customerName(data: TimelineCardData, t: Strings): string {
  const name = data.customer?.name || data.customer?.domain || data.customer?.id;
  return name ? toInertText(name, 200) : t.timeline.aCustomer;
}

/** The headline and the thread follow-up say the same: what just happened, to whom. */
export function headlineOf(data: TimelineCardData, t: Strings): string {
  const latest = data.entries.at(-1);
  const kind = latest?.kind ?? 'unknown';
  return fill(pick(t.timeline.headlines, kind), { customer: customerName(data, t), days: latest?.expiresInDays ?? '' });
}

function historyLine(entry: TimelineEntryData, locale: Locale, t: Strings): { line: string } {
  const text = fill(pick(t.timeline.history, entry.kind), { days: entry.expiresInDays ?? '' });
  return { line: fill(t.timeline.historyLine, { date: formatUtc(entry.at, locale), text }) };
}

function relationshipLine(data: TimelineCardData, locale: Locale, t: Strings): string {
  const relationship = data.relationship;
  if (!relationship?.displayName) return '';
  const end = relationship.endDateTime ? fill(t.timeline.relationshipEnds, { date: formatUtc(relationship.endDateTime, locale) }) : '';
  return fill(t.timeline.relationshipLine, { name: toInertText(relationship.displayName, 100), end });
}

function customerLine(data: TimelineCardData, t: Strings): string {
  const customer = data.customer;
  if (!customer?.id) return '';
  return fill(t.timeline.customerLine, { domain: toInertText(customer.domain || '–', 200), id: toInertText(customer.id, 64) });
}

export const timelinePreparer: DataPreparer = {
  prepare(data, { locale, t }) {
    const card = data as unknown as TimelineCardData;
    const entries = Array.isArray(card.entries) ? card.entries : [];
    const latest = entries.at(-1);
    return {
      headline: headlineOf({ ...card, entries }, t),
      identifying: card.identifying === true,
      customerLine: customerLine(card, t),
      relationshipLine: relationshipLine(card, locale, t),
      removal: REMOVALS.has(latest?.kind ?? ''),
      removalKind: REMOVALS.has(latest?.kind ?? '') ? latest?.kind : '',
      customerId: card.customer?.id ?? '',
      ...expiryActions(card, latest?.kind),
      history: entries.slice(-HISTORY_LINES).reverse().map((entry) => historyLine(entry, locale, t)),
    };
  },
};

/** The short message under the card (Slack thread, Teams reply chain): the headline and when. */
export const timelineUpdatePreparer: DataPreparer = {
  prepare(data, { locale, t }) {
    const card = data as unknown as TimelineCardData;
    const entries = Array.isArray(card.entries) ? card.entries : [];
    const when = formatUtc(entries.at(-1)?.at, locale);
    const headline = headlineOf({ ...card, entries }, t);
    return { line: when ? `${headline} (${when})` : headline };
  },
};

/** A burst for one conversation as one message: a line per event, each like the card's headline. */
export const digestPreparer: DataPreparer = {
  prepare(data, context) {
    const items = Array.isArray(data.items) ? (data.items as Record<string, unknown>[]) : [];
    const lines = items.map((item) => timelineUpdatePreparer.prepare(item, context) as { line: string });
    return { title: context.t.digest.title.replace('{count}', String(lines.length)), lines };
  },
};
