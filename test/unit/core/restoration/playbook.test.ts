import assert from 'node:assert/strict';
import type { EventRecorder } from '../../../../src/core/events/ingest-event.ts';
import type { Store } from '../../../../src/core/ports.ts';
import type { GdapAdmin } from '../../../../src/core/restoration/gdap.port.ts';
import { createPlaybook } from '../../../../src/core/restoration/playbook.ts';
import { createRestorationStore } from '../../../../src/core/restoration/restoration-store.ts';
import { createLogger } from '../../../../src/logger.ts';
import { createStore } from '../../../../src/store/create-store.ts';

const DAY = 24 * 60 * 60_000;
const T0 = Date.parse('2026-11-25T10:00:00Z');
const customer = { id: '9e1d7b52-64a3-4c8f-b2e0-5d7a9c3f1e86', companyName: 'Bäckerei Schmidt KG', domain: 'baeckerei-schmidt.de', relationshipToPartner: 'reseller' };
const address = { platform: 'teams' as const, tenantId: 't', conversationId: 'c', kind: 'channel' as const };
const RELATIONSHIP = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee-9e1d7b52-64a3-4c8f-b2e0-5d7a9c3f1e86';

/**
 * The playbook against a real store, with the clock in the test's hand. GDAP and the recorder are small
 * recording stand-ins here (the component test drives the real Graph client against the simulator).
 */
describe('the restoration playbook over time', () => {
  let store: Store;
  let now: number;
  let notes: string[];
  let recorded: string[];

  beforeEach(async () => {
    store = await createStore('sqlite://:memory:');
    now = T0;
    notes = [];
    recorded = [];
  });
  afterEach(() => store.close());

  function playbook() {
    const gdap: Pick<GdapAdmin, 'createRelationship' | 'lockForApproval' | 'createAccessAssignment'> = {
      createRelationship: async (input) => ({ id: RELATIONSHIP, displayName: input.displayName, status: 'created', roles: input.roles }),
      lockForApproval: async () => undefined,
      createAccessAssignment: async () => ({ id: 'a1', status: 'pending' }),
    };
    const recorder: EventRecorder = { record: async (event) => (recorded.push(event.kind), { outcome: 'recorded', eventId: 'e', notifications: 0 }) };
    return createPlaybook({
      restorations: createRestorationStore(store),
      gdap,
      recorder,
      notify: async (_state, note) => void notes.push(note),
      defaultRoles: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'],
      defaultDuration: 'P730D',
      accessAssignments: [{ securityGroupId: '11111111-2222-4333-8444-555555555555', roles: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'] }],
      clock: { now: () => now },
      log: createLogger('silent'),
    });
  }

  it('reminds on days 3, 7, 14 and 85 and expires on day 90, each once, even when ticking twice or after a restart', async () => {
    const first = playbook();
    await first.start(customer, { reason: 'admin-removed', address, by: 'u' });
    await first.request(customer.id, 'u', { locale: 'en', correlationId: 'c' });
    for (let day = 1; day <= 91; day++) {
      now = T0 + day * DAY;
      // A second process on the same store (a restart, a replica) ticks too.
      await first.tick();
      await playbook().tick();
    }
    assert.deepEqual(notes, ['reminder-3', 'reminder-7', 'reminder-14', 'reminder-85', 'expired']);
    assert.equal((await first.get(customer.id))?.step, 'expired');
  });

  it('when the approval arrives twice, then access is assigned and announced once', async () => {
    const book = playbook();
    await book.start(customer, { reason: 'admin-removed', address, by: 'u' });
    await book.request(customer.id, 'u', { locale: 'en', correlationId: 'c' });
    const approval = { kind: 'gdap-approved' as const, eventName: 'x', dedupeKey: 'k', relationshipId: RELATIONSHIP };
    await book.onEvent(approval);
    await book.onEvent({ ...approval, kind: 'gdap-activated' });
    assert.deepEqual(notes, ['access-restored']);
    assert.deepEqual(recorded, ['access-restored']);
    assert.equal((await book.get(customer.id))?.step, 'done');
  });

  it('when the reseller relationship was gone, then an acceptance moves the playbook on to the proposal', async () => {
    const book = playbook();
    await book.start({ ...customer, relationshipToPartner: 'none' }, { reason: 'admin-removed', address, by: 'u' });
    assert.equal((await book.get(customer.id))?.step, 'needs-invitation');
    await book.onEvent({ kind: 'accepted', eventName: 'x', dedupeKey: 'k', customerId: customer.id });
    assert.equal((await book.get(customer.id))?.step, 'proposed');
  });
});
