import type { Command } from '../commands/command.ts';
import { OPEN_DAYS, type InvitationRequests } from '../relationships/invitation-requests.ts';
import type { CustomerLedger } from './customer-ledger.ts';

const MAX_LINES = 25;

/**
 * `pending`: invitations sent recently (an invitation link names no customer, so "open" means "sent in the
 * last OPEN_DAYS days") and the customers the partner has lost admin access to, oldest first.
 */
export function createPendingCommand(invitations: Pick<InvitationRequests, 'listOpen'>, ledger: Pick<CustomerLedger, 'withoutAccess'>): Command {
  return {
    name: 'pending',
    key: 'pending',
    usage: 'pending',
    aliases: ['offen'],
    adminOnly: false,
    async run({ locale }) {
      const [open, withoutAccess] = await Promise.all([invitations.listOpen(), ledger.withoutAccess()]);
      return {
        template: 'pending',
        locale,
        data: {
          days: OPEN_DAYS,
          invitations: open.slice(0, MAX_LINES).map((request) => ({ at: request.requestedAt, who: request.requestedBy.name ?? '', variant: request.variant, language: request.customerLocale })),
          withoutAccess: withoutAccess.slice(0, MAX_LINES).map((entry) => ({ customer: entry.name ?? entry.customerId, kind: entry.kind, since: entry.since })),
        },
      };
    },
  };
}
