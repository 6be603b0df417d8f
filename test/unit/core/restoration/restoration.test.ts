import assert from 'node:assert/strict';
import type { ConversationAddress } from '../../../../src/core/chat.ts';
import {
  accessRestored,
  advanceClock,
  approved,
  cancel,
  changeProposal,
  requestCreated,
  resellerRestored,
  restart,
  startRestoration,
  type Restoration,
} from '../../../../src/core/restoration/restoration.ts';
import { autoExtendAllowed, ROLES, rolesOf } from '../../../../src/core/restoration/role-templates.ts';

const DAY = 24 * 60 * 60_000;
const T0 = Date.parse('2026-11-25T10:00:00Z');
const address: ConversationAddress = { platform: 'slack', tenantId: 'T1', conversationId: 'C1', kind: 'channel' };
const proposal = { template: 'default' as const, roles: rolesOf('default', [ROLES.globalReader, ROLES.helpdeskAdministrator]), duration: 'P730D', autoExtend: true };
const relationship = { id: 'r1', displayName: 'Contoso restore 2026-11-25', approvalLink: 'https://admin.microsoft.com/x', createdAt: new Date(T0).toISOString() };

function waiting(): Restoration {
  const started = startRestoration({ customerId: 'c1', reason: 'admin-removed', address, by: 'U1', now: T0, resellerActive: true, proposal });
  return requestCreated(started, relationship, T0, 'U1');
}

describe('the restoration playbook as a state machine', () => {
  it('when the reseller relationship still exists, then it starts at the proposal; otherwise at the invitation', () => {
    assert.equal(startRestoration({ customerId: 'c1', reason: 'manual', address, by: 'U1', now: T0, resellerActive: true, proposal }).step, 'proposed');
    const gone = startRestoration({ customerId: 'c1', reason: 'manual', address, by: 'U1', now: T0, resellerActive: false, proposal });
    assert.equal(gone.step, 'needs-invitation');
    assert.equal(resellerRestored(gone, T0 + DAY).step, 'proposed');
  });

  it('walks proposed → awaiting approval → assigning → done, and a second approval report changes nothing', () => {
    const state = waiting();
    assert.equal(state.step, 'awaiting-approval');
    const once = approved(state, 'r1', T0 + DAY);
    assert.equal(once.step, 'assigning');
    assert.equal(approved(once, 'r1', T0 + 2 * DAY), once);
    assert.equal(approved(state, 'another-relationship', T0), state, 'an approval of another relationship is not ours');
    const done = accessRestored(once, T0 + DAY, 2);
    assert.equal(done.step, 'done');
    assert.deepEqual(done.history.map((entry) => entry.what), ['started', 'requested', 'approved', 'access-restored:2']);
  });

  it('reminds on days 3, 7, 14 and 85, each once, and expires on day 90', () => {
    let state = waiting();
    const said: string[] = [];
    for (let day = 0; day <= 91; day++) {
      const result = advanceClock(state, T0 + day * DAY + 60_000);
      state = result.state;
      said.push(...result.outcomes.map((outcome) => (outcome.kind === 'reminder' ? `reminder ${outcome.day}` : 'expired')));
    }
    assert.deepEqual(said, ['reminder 3', 'reminder 7', 'reminder 14', 'reminder 85', 'expired']);
    assert.equal(state.step, 'expired');
    assert.equal(restart(state, T0 + 91 * DAY, 'U1').step, 'proposed');
  });

  it('after a long outage only the latest reminder is said, and the earlier ones never come back', () => {
    const { state, outcomes } = advanceClock(waiting(), T0 + 15 * DAY);
    assert.deepEqual(outcomes, [{ kind: 'reminder', day: 14 }]);
    assert.deepEqual(advanceClock(state, T0 + 16 * DAY).outcomes, []);
  });

  it('refuses auto-extend with Global Administrator among the roles', () => {
    assert.equal(autoExtendAllowed([ROLES.globalReader]), true);
    assert.equal(autoExtendAllowed([ROLES.globalAdministrator]), false);
    const started = startRestoration({ customerId: 'c1', reason: 'manual', address, by: 'U1', now: T0, resellerActive: true, proposal });
    const withGlobalAdmin = changeProposal(started, { ...proposal, roles: [ROLES.globalAdministrator], autoExtend: true }, T0, 'U1');
    assert.equal(withGlobalAdmin.proposal?.autoExtend, false);
  });

  it('a cancelled playbook can be restarted; a finished one cannot be cancelled', () => {
    const cancelled = cancel(waiting(), T0, 'U1');
    assert.equal(cancelled.step, 'cancelled');
    assert.equal(restart(cancelled, T0, 'U1').relationship, undefined);
    const done = accessRestored(approved(waiting(), 'r1', T0), T0, 0);
    assert.equal(cancel(done, T0, 'U1'), done);
  });
});
