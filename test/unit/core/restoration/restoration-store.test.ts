import assert from 'node:assert/strict';
import type { Store } from '../../../../src/core/ports.ts';
import { approved, requestCreated, startRestoration } from '../../../../src/core/restoration/restoration.ts';
import { createRestorationStore } from '../../../../src/core/restoration/restoration-store.ts';
import { createStore } from '../../../../src/store/create-store.ts';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const address = { platform: 'teams' as const, tenantId: 't', conversationId: 'c', kind: 'channel' as const };
const proposal = { template: 'default' as const, roles: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'], duration: 'P730D', autoExtend: true };

describe('restoration store', () => {
  let store: Store;

  beforeEach(async () => {
    store = await createStore('sqlite://:memory:');
  });
  afterEach(() => store.close());

  it('keeps each playbook by customer and lists the open ones; a finished one leaves the list', async () => {
    const restorations = createRestorationStore(store);
    await restorations.update('C1', () => startRestoration({ customerId: 'c1', reason: 'manual', address, by: 'u', now: T0, resellerActive: true, proposal }));
    await restorations.update('c2', () => startRestoration({ customerId: 'c2', reason: 'manual', address, by: 'u', now: T0, resellerActive: true, proposal }));
    assert.deepEqual((await restorations.listOpen()).sort(), ['c1', 'c2']);
    await restorations.update('c1', (state) => state && { ...state, step: 'done' });
    assert.deepEqual(await restorations.listOpen(), ['c2']);
    assert.equal((await restorations.get('C1'))?.step, 'done');
  });

  it('when twenty changes race for one customer, then none is lost', async () => {
    const restorations = createRestorationStore(store);
    await restorations.update('c1', () => startRestoration({ customerId: 'c1', reason: 'manual', address, by: 'u', now: T0, resellerActive: true, proposal }));
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        restorations.update('c1', (state) => state && { ...state, history: [...state.history, { at: new Date(T0).toISOString(), what: `click ${index}` }] }),
      ),
    );
    assert.equal((await restorations.get('c1'))?.history.length, 21);
  });

  it('when the same approval is reported twice, then the second writes nothing', async () => {
    const restorations = createRestorationStore(store);
    const relationship = { id: 'r1', displayName: 'x', approvalLink: 'https://admin.microsoft.com/x', createdAt: new Date(T0).toISOString() };
    await restorations.update('c1', () => requestCreated(startRestoration({ customerId: 'c1', reason: 'manual', address, by: 'u', now: T0, resellerActive: true, proposal }), relationship, T0, 'u'));
    const first = await restorations.update('c1', (state) => state && approved(state, 'r1', T0 + 1));
    const second = await restorations.update('c1', (state) => state && approved(state, 'r1', T0 + 2));
    assert.deepEqual(second, first);
    assert.equal(first?.history.filter((entry) => entry.what === 'approved').length, 1);
  });
});
