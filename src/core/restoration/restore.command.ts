import { randomUUID } from 'node:crypto';
import type { Command } from '../commands/command.ts';
import { findCustomers, type StatusDirectory } from '../customers/status.command.ts';
import type { CallContext } from '../relationships/partner-center.port.ts';
import { toFailureReply } from '../relationships/invitation-reply.ts';
import { errorReply } from '../replies.ts';
import type { Playbook } from './playbook.ts';
import { restorationReply } from './restoration-reply.ts';

/** `restore <customer>` (admins): starts the playbook, or shows the open one where it stands. */
export function createRestoreCommand(playbook: Playbook, directory: StatusDirectory, partnerName: string): Command {
  return {
    name: 'restore',
    key: 'restore',
    usage: 'restore <customer>',
    aliases: ['wiederherstellen'],
    adminOnly: true,
    async run({ event, locale, args }) {
      const query = args.join(' ').trim();
      if (!query) return errorReply(locale, 'RESTORATION.USAGE');
      const call: CallContext = { locale, correlationId: randomUUID() };
      try {
        const matches = await findCustomers(directory, query, call);
        const exact = matches.filter((customer) => [customer.companyName, customer.domain, customer.id].some((value) => value.toLowerCase() === query.toLowerCase()));
        const customer = matches.length === 1 ? matches[0] : exact.length === 1 ? exact[0] : undefined;
        if (!customer) return errorReply(locale, matches.length ? 'STATUS.AMBIGUOUS' : 'STATUS.NOT_FOUND', { detail: query, suggestions: matches.slice(0, 5).map((each) => `restore ${each.id}`) });
        const state = await playbook.start(customer, { reason: 'manual', address: event.address, by: event.user.id });
        if (!state) return errorReply(locale, 'RESTORATION.NOT_FOUND');
        return restorationReply(state, locale, { partnerName, canAct: true });
      } catch (error) {
        return toFailureReply(locale, error, call.correlationId);
      }
    },
  };
}
