import { toInertText } from '../inert.ts';
import { formatUtc } from './timeline.prepare.ts';
import type { DataPreparer } from './types.ts';

interface PendingData {
  days?: number;
  invitations?: Array<{ at?: string; who?: string; variant?: string; language?: string }>;
  withoutAccess?: Array<{ customer?: string; kind?: string; since?: string }>;
}

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

function lookup(table: Record<string, string>, key: string | undefined): string {
  return key && Object.hasOwn(table, key) ? (table[key] ?? '') : (key ?? '');
}

/** `pending`: one plain line per invitation and per customer without access. */
export const pendingPreparer: DataPreparer = {
  prepare(data, { locale, t }) {
    const { days = 0, invitations = [], withoutAccess = [] } = data as PendingData;
    return {
      invitationsTitle: fill(t.pending.invitationsTitle, { days }),
      invitationLines: invitations.map((entry) => ({
        line: fill(t.pending.invitationLine, {
          date: formatUtc(entry.at, locale),
          who: toInertText(entry.who || t.pending.someone, 100),
          variant: lookup(t.pending.variants, entry.variant),
          language: lookup(t.languages, entry.language),
        }),
      })),
      accessLines: withoutAccess.map((entry) => ({
        line: fill(t.pending.withoutAccessLine, {
          customer: toInertText(entry.customer ?? '', 200),
          what: lookup(t.timeline.history, entry.kind),
          date: formatUtc(entry.since, locale),
        }),
      })),
    };
  },
};
