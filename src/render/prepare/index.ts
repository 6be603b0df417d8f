import type { Reply } from '../../core/chat.ts';
import { strings } from '../../i18n/index.ts';
import { DEFAULT_MAX_INERT_LENGTH, toInertData } from '../inert.ts';
import { historyPreparer } from './history.prepare.ts';
import { invitationPreparer } from './invitation.prepare.ts';
import { pendingPreparer } from './pending.prepare.ts';
import { restorationPreparer } from './restoration.prepare.ts';
import { statusPreparer } from './status.prepare.ts';
import { digestPreparer, timelinePreparer, timelineUpdatePreparer } from './timeline.prepare.ts';
import type { DataPreparer } from './types.ts';

export type { DataPreparer, PrepareContext } from './types.ts';

/** Templates whose data needs a prepare step before expansion, by template name. */
export const prepareData: Readonly<Record<string, DataPreparer>> = Object.freeze({
  invitation: invitationPreparer,
  'customer-timeline': timelinePreparer,
  'timeline-update': timelineUpdatePreparer,
  'customer-status': statusPreparer,
  'customer-history': historyPreparer,
  pending: pendingPreparer,
  restoration: restorationPreparer,
  'notification-digest': digestPreparer,
});

/**
 * The data a template is expanded with: every string made inert (so no template can forget it), then the
 * template's prepare step, if it has one. Without a preparer this is exactly `toInertData(reply.data)`.
 */
export function toTemplateData(reply: Reply): Record<string, unknown> {
  // hasOwn: a template named "constructor" must not find Object.prototype's.
  const preparer = Object.hasOwn(prepareData, reply.template) ? prepareData[reply.template] : undefined;
  if (!preparer) return toInertData(reply.data);
  const verbatim = new Set(preparer.verbatimKeys ?? []);
  const caps = preparer.maxLengths ?? {};
  const inert = Object.fromEntries(
    Object.entries(reply.data).map(([key, value]) => [
      key,
      verbatim.has(key) ? value : toInertData(value, (Object.hasOwn(caps, key) ? caps[key] : undefined) ?? DEFAULT_MAX_INERT_LENGTH),
    ]),
  );
  return preparer.prepare(inert, { locale: reply.locale, t: strings(reply.locale), stringsOf: strings });
}
