import type { Locale, Reply } from '../chat.ts';
import type { Command } from '../commands/command.ts';
import type { Customer } from '../relationships/partner-center.port.ts';
import type { RestorationStore } from '../restoration/restoration-store.ts';
import type { CustomerLedger } from './customer-ledger.ts';
import { runForOneCustomer, type StatusDirectory } from './one-customer.ts';

/** Enough lines for one card on both platforms (Slack allows 50 blocks). */
export const MAX_HISTORY_LINES = 30;

/** One line of the audit trail: what happened (a Partner Center event kind or a playbook step), when, by whom. */
export interface HistoryLine {
  at: string;
  /** `event`: Partner Center or the bot's own events (kind); `chat`: done through the bot; `playbook`: a restoration step. */
  source: 'event' | 'chat' | 'playbook';
  what: string;
  by?: string;
  /** Days left, for an expiry warning. */
  days?: number;
}

/**
 * `history <customer>`: the audit trail from what the bot keeps: the customer's events (invitation
 * accepted, admin rights removed, GDAP changes) and the restoration playbook's steps with who clicked what.
 * Found like `status`.
 */
export function createHistoryCommand(directory: StatusDirectory, ledger: Pick<CustomerLedger, 'history'>, restorations: Pick<RestorationStore, 'get'>): Command {
  return {
    name: 'history',
    key: 'history',
    usage: 'history <customer>',
    aliases: ['verlauf'],
    adminOnly: false,
    run: (context) =>
      runForOneCustomer(directory, context, { command: 'history', usageKey: 'HISTORY.USAGE' }, async (customer) =>
        historyReply(context.locale, customer, await collectHistory(customer.id.toLowerCase(), ledger, restorations)),
      ),
  };
}

/** Every line the bot has about the customer, oldest first. */
export async function collectHistory(customerId: string, ledger: Pick<CustomerLedger, 'history'>, restorations: Pick<RestorationStore, 'get'>): Promise<HistoryLine[]> {
  const [events, restoration] = await Promise.all([ledger.history(customerId), restorations.get(customerId)]);
  const lines: HistoryLine[] = [
    ...events.map((entry): HistoryLine => ({ at: entry.at, source: entry.source === 'chat' ? 'chat' : 'event', what: entry.kind, ...(entry.by ? { by: entry.by } : {}), ...(entry.days !== undefined ? { days: entry.days } : {}) })),
    ...(restoration?.history ?? []).map((entry): HistoryLine => ({ at: entry.at, source: 'playbook', what: entry.what, ...(entry.by ? { by: entry.by } : {}) })),
  ];
  return lines.sort((a, b) => a.at.localeCompare(b.at));
}

function historyReply(locale: Locale, customer: Customer, lines: HistoryLine[]): Reply {
  return {
    template: 'customer-history',
    locale,
    data: {
      customer: { id: customer.id.toLowerCase(), name: customer.companyName, domain: customer.domain },
      // Newest first: what happened last is what people look for.
      entries: lines.slice(-MAX_HISTORY_LINES).reverse(),
      total: lines.length,
    },
  };
}
