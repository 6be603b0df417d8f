import type { Command } from '../commands/command.ts';
import { runForOneCustomer, type StatusDirectory } from '../customers/one-customer.ts';
import { actorOf } from './restoration.ts';
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
    run: (context) =>
      runForOneCustomer(directory, context, { command: 'restore', usageKey: 'RESTORATION.USAGE' }, async (customer) => {
        const { event, locale } = context;
        const state = await playbook.start(customer, { reason: 'manual', address: event.address, by: actorOf(event.user) });
        if (!state) return errorReply(locale, 'RESTORATION.NOT_FOUND');
        return restorationReply(state, locale, { partnerName, canAct: true });
      }),
  };
}
