import type { ActionHandler } from '../commands/action.ts';

/**
 * "Start restoration" on a removal card. Until the guided playbook exists it explains the manual steps,
 * only to the person who clicked (anyone who sees the card may click; nothing changes on their click).
 */
export const showRestorationSteps: ActionHandler = async ({ locale }) => ({ template: 'restoration-steps', locale, data: {}, private: true });
