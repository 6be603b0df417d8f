import { toInertText } from '../inert.ts';
import { formatUtc } from './timeline.prepare.ts';
import type { DataPreparer } from './types.ts';

interface StatusData {
  customer?: { id?: string; name?: string; domain?: string; relationship?: string; indirect?: boolean };
  relationships?: Array<{ name?: string; status?: string; endDateTime?: string }>;
  history?: Array<{ kind?: string; at?: string }>;
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

function lookup(table: Record<string, string>, key: string | undefined, fallback: string): string {
  return key && Object.hasOwn(table, key) ? (table[key] ?? fallback) : fallback;
}

/** `customer-status`: lines assembled from the customer, its GDAP relationships and its history. */
export const statusPreparer: DataPreparer = {
  prepare(data, { locale, t }) {
    const { customer = {}, relationships = [], history = [] } = data as StatusData;
    const relationship = lookup(t.status.relationships, customer.relationship, customer.relationship ?? '');
    return {
      title: toInertText(customer.name || customer.domain || customer.id || '', 200),
      details: fill(t.timeline.customerLine, { domain: toInertText(customer.domain || '–', 200), id: toInertText(customer.id ?? '', 64) }),
      relationshipLine: fill(customer.indirect ? t.status.relationshipIndirect : t.status.relationship, { relationship }),
      gdap: relationships.map((entry) => ({
        line: fill(t.status.gdapLine, {
          name: toInertText(entry.name ?? '', 100),
          status: lookup(t.status.gdapStatus, entry.status, entry.status ?? ''),
          end: entry.endDateTime ? fill(t.timeline.relationshipEnds, { date: formatUtc(entry.endDateTime, locale) }) : '',
        }),
      })),
      history: history.map((entry) => ({
        line: fill(t.timeline.historyLine, { date: formatUtc(entry.at, locale), text: lookup(t.timeline.history, entry.kind, t.timeline.history.unknown).replace('{days}', '') }),
      })),
    };
  },
};
