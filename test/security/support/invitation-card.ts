import assert from 'node:assert/strict';

/** Every button of the invitation card; each one re-renders the link. */
export const INVITATION_ACTIONS = ['invitation.edit', 'invitation.copy', 'invitation.cancel', 'invitation.reset', 'invitation.save'] as const;

/** The invitation id bound to a card's buttons (a Teams card or Slack blocks, any nesting or JSON-in-JSON). */
export function invitationIdIn(value: unknown): string {
  const id = /invitationId\\?"\s*:\s*\\?"([^"\\]+)/.exec(JSON.stringify(value))?.[1];
  assert.ok(id, 'the card carries an invitation id');
  return id;
}
