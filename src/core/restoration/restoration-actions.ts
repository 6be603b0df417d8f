import { randomUUID } from 'node:crypto';
import type { ActionContext, ActionHandler } from '../commands/action.ts';
import type { Command } from '../commands/command.ts';
import type { StatusDirectory } from '../customers/one-customer.ts';
import { isAppError } from '../errors.ts';
import type { CallContext } from '../relationships/partner-center.port.ts';
import { toFailureReply } from '../relationships/invitation-reply.ts';
import { errorReply } from '../replies.ts';
import type { Playbook } from './playbook.ts';
import { actorOf, type Restoration } from './restoration.ts';
import { restorationReply } from './restoration-reply.ts';
import { isRoleTemplateName } from './role-templates.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The playbook card's buttons. Anyone who sees a card can click it, so the admin check happens here, at
 * click time; the customer id comes from the button and is only used to look the playbook up.
 */
export function createRestorationActions(playbook: Playbook, directory: StatusDirectory, partnerName: string, invitation?: Command): Record<string, ActionHandler> {
  const adminOnly = (run: (context: ActionContext, customerId: string, by: string) => Promise<Restoration | undefined>): ActionHandler => async (context) => {
    const customerId = String(context.data.customerId ?? '');
    if (!GUID.test(customerId)) return errorReply(context.locale, 'RESTORATION.NOT_FOUND');
    if (!context.isAdmin) return errorReply(context.locale, 'ACCESS.ADMIN_ONLY', { detail: 'restore' });
    const call: CallContext = { locale: context.locale, correlationId: randomUUID() };
    try {
      const state = await run(context, customerId, actorOf(context.event.user));
      if (!state) return errorReply(context.locale, 'RESTORATION.NOT_FOUND');
      return restorationReply(state, context.locale, { partnerName, canAct: true, updatesCard: true });
    } catch (error) {
      if (isAppError(error)) return toFailureReply(context.locale, error, call.correlationId);
      throw error;
    }
  };

  // "Post the invitation" while the reseller relationship is gone: anyone may (like `request relationship`); the
  // playbook's history records who, since the invitation link itself names no customer.
  const invite: ActionHandler = async (context) => {
    const customerId = String(context.data.customerId ?? '');
    if (!invitation || !GUID.test(customerId)) return errorReply(context.locale, 'RESTORATION.NOT_FOUND');
    await playbook.noteInvitation(customerId, actorOf(context.event.user));
    return invitation.run({ event: context.event, locale: context.locale, isAdmin: context.isAdmin, args: [] });
  };

  return {
    'restoration.invite': invite,
    // The removal card's button: starts (or shows) the playbook for that customer.
    'restoration.start': adminOnly(async ({ event, locale }, customerId, by) => {
      const customer = await directory.getCustomer(customerId, { locale, correlationId: randomUUID() });
      const asked = event.action?.data.reason;
      const reason = asked === 'admin-removed-by-microsoft' || asked === 'gdap-expiring' ? asked : 'admin-removed';
      return playbook.start(customer, { reason, address: event.address, by });
    }),
    'restoration.choose': adminOnly(async ({ data }, customerId, by) => {
      const template = isRoleTemplateName(data.template) ? data.template : 'default';
      return playbook.choose(customerId, template, by);
    }),
    'restoration.auto-extend': adminOnly((_context, customerId, by) => playbook.toggleAutoExtend(customerId, by)),
    'restoration.request': adminOnly(({ locale }, customerId, by) => playbook.request(customerId, by, { locale, correlationId: randomUUID() })),
    'restoration.cancel': adminOnly((_context, customerId, by) => playbook.cancel(customerId, by)),
    'restoration.restart': adminOnly((_context, customerId, by) => playbook.restart(customerId, by)),
  };
}
