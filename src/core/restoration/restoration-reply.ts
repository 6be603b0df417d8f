import type { Locale, Reply } from '../chat.ts';
import type { Restoration } from './restoration.ts';
import { autoExtendAllowed, ROLE_TEMPLATES } from './role-templates.ts';

/** The playbook card for a state; `canAct` shows the buttons only admins may use (they are checked again on click). */
export function restorationReply(state: Restoration, locale: Locale, options: { partnerName: string; canAct: boolean; note?: string; updatesCard?: boolean }): Reply {
  const proposal = state.proposal && { ...state.proposal, autoExtendAllowed: autoExtendAllowed(state.proposal.roles) };
  return {
    template: 'restoration',
    locale,
    ...(options.updatesCard ? { updatesCard: true } : {}),
    data: {
      customerId: state.customerId,
      customerName: state.customerName,
      step: state.step,
      reason: state.reason,
      note: options.note,
      canAct: options.canAct,
      partnerName: options.partnerName,
      proposal,
      relationship: state.relationship && { displayName: state.relationship.displayName, approvalLink: state.relationship.approvalLink },
      templates: ['default', ...Object.keys(ROLE_TEMPLATES)],
    },
  };
}
