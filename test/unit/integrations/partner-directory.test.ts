import assert from 'node:assert/strict';
import { SEEDED_GDAP } from '../../../src/simulator/gdap.ts';
import { SAMPLE_CUSTOMERS } from '../../../src/simulator/seed.ts';
import { collect } from './partner-center/harness.ts';
import { startMicrosoftHarness, type MicrosoftHarness } from './microsoft-harness.ts';

describe('PartnerDirectory on the Microsoft clients', () => {
  let harness: MicrosoftHarness;
  beforeEach(async () => {
    harness = await startMicrosoftHarness();
  });
  afterEach(() => harness.close());

  it('when the event side reads customers, relationships and audit records, then one object answers all of them from the simulator', async () => {
    const { directory } = harness.clients;
    const context = harness.context();
    const customers = (await collect(directory.listCustomers(context))).flat();
    assert.equal(customers.length, SAMPLE_CUSTOMERS.length);
    assert.equal((await directory.getCustomer(SAMPLE_CUSTOMERS[1]!.id, context)).companyName, 'Contoso Ltd');
    const relationships = (await collect(directory.listGdapRelationships(context))).flat();
    assert.ok(relationships.some((relationship) => relationship.id === SEEDED_GDAP.expiringSoon));
    assert.equal((await directory.getGdapRelationship(SEEDED_GDAP.active, context)).customer?.tenantId, SAMPLE_CUSTOMERS[0]!.id);
    const since = new Date(Date.now() - 89 * 86_400_000).toISOString();
    const records = (await collect(directory.listAuditRecords(since, new Date().toISOString(), context))).flat();
    assert.equal(records.length, 2);
    const partnerCenterCalls = harness.simulator.controls.requests.filter((request) => request.headers['ms-correlationid'] === context.correlationId);
    assert.equal(partnerCenterCalls.length, 3, 'the three Partner Center calls carry the caller\'s correlation id');
  });
});
