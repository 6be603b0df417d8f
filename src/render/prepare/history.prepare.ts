import type { Strings } from '../../i18n/index.ts';
import { toInertText } from '../inert.ts';
import { fill, formatUtc } from './timeline.prepare.ts';
import type { DataPreparer } from './types.ts';

interface HistoryData {
  customer?: { id?: string; name?: string; domain?: string };
  entries?: Array<{ at?: string; source?: string; what?: string; by?: string; days?: number }>;
  total?: number;
}

function own(table: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** `proposal:helpdesk`, `reminder:7`, `access-restored:2`, `auto-extend:on`: a playbook step and its detail. */
function stepText(what: string, t: Strings): string {
  const [step = '', detail = ''] = what.split(':');
  const steps = t.history.steps;
  if (step === 'auto-extend') return detail === 'on' ? steps['auto-extend-on'] : steps['auto-extend-off'];
  const text = own(steps, step) ?? steps.unknown;
  const template = own(t.restoration.proposal.templates, detail) ?? detail;
  return fill(text, { template: toInertText(template, 50), day: toInertText(detail, 10), count: toInertText(detail, 10) });
}

function eventText(kind: string, days: unknown, t: Strings): string {
  return own(t.history.steps, kind) ?? fill(own(t.timeline.history, kind) ?? t.timeline.history.unknown, { days: typeof days === 'number' ? days : '' });
}

/** `customer-history`: one line per entry, newest first, each saying when, what and who. */
export const historyPreparer: DataPreparer = {
  prepare(data, { locale, t }) {
    const { customer = {}, entries = [], total = 0 } = data as HistoryData;
    const name = toInertText(customer.name || customer.domain || customer.id || '', 200);
    return {
      title: fill(t.history.title, { customer: name }),
      details: fill(t.timeline.customerLine, { domain: toInertText(customer.domain || '–', 200), id: toInertText(customer.id ?? '', 64) }),
      lines: entries.map((entry) => {
        const text = entry.source === 'playbook' ? stepText(entry.what ?? '', t) : eventText(entry.what ?? '', entry.days, t);
        const values = { date: formatUtc(entry.at, locale), text, who: toInertText(entry.by ?? '', 120) };
        return { line: fill(entry.by ? t.history.lineBy : t.history.line, values) };
      }),
      customerId: toInertText(customer.id ?? '', 64),
      older: total > entries.length ? fill(t.history.older, { shown: entries.length, total }) : '',
    };
  },
};
