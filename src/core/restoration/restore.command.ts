import { randomUUID } from 'node:crypto';
import type { Command } from '../commands/command.ts';
import { resolveCustomer, type StatusDirectory } from '../customers/status.command.ts';
import { actorOf } from './restoration.ts';
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
        const { customer, reply } = await resolveCustomer(directory, query, call);
        if (!customer) return reply(locale, 'restore');
        const state = await playbook.start(customer, { reason: 'manual', address: event.address, by: actorOf(event.user) });
        if (!state) return errorReply(locale, 'RESTORATION.NOT_FOUND');
        return restorationReply(state, locale, { partnerName, canAct: true });
      } catch (error) {
        return toFailureReply(locale, error, call.correlationId);
      }
    },
  };
}
