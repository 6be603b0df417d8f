import assert from 'node:assert/strict';
import { startSimulator, type PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';
import { accessToken, get } from './sim-client.ts';

const DAY_MS = 86_400_000;

describe('simulator: audit records', () => {
  let simulator: PartnerCenterSimulator;
  let token: string;
  beforeEach(async () => {
    simulator = await startSimulator();
    token = await accessToken(simulator, 'app-only');
  });
  afterEach(() => simulator.stop());

  const range = (fromDaysAgo: number) => `startDate=${new Date(Date.now() - fromDaysAgo * DAY_MS).toISOString()}&endDate=${new Date(Date.now() + 60_000).toISOString()}`;

  it('when the range covers the seeded records, then they come back oldest first in Partner Center shape', async () => {
    const answer = await get(simulator, `/v1/auditrecords?${range(89)}&size=50`, token);
    assert.equal(answer.status, 200);
    const items = answer.json.items as { operationType: string; attributes: { objectType: string }; id: string }[];
    assert.deepEqual(items.map((item) => item.operationType), ['dap_admin_relationship_approved', 'add_customer']);
    assert.equal(items[0]?.attributes.objectType, 'AuditRecord');
    assert.match(items[0]?.id ?? '', /^[0-9a-f-]{36}_[0-9a-f-]{36}_dapadminrelationshipapproved_\d{18}$/);
  });

  it('when more records match than the size, then links.next leaves out /v1 and carries MS-ContinuationToken', async () => {
    const first = await get(simulator, `/v1/auditrecords?${range(89)}&size=1`, token);
    const next = (first.json.links as { next: { uri: string; headers: { key: string; value: string }[] } }).next;
    assert.match(next.uri, /^\/auditrecords\?.*seekOperation=Next$/);
    const second = await get(simulator, `/v1${next.uri}`, token, { 'MS-ContinuationToken': next.headers[0]!.value });
    assert.equal((second.json.items as { operationType: string }[])[0]?.operationType, 'add_customer');
    const forged = await get(simulator, `/v1${next.uri}`, token, { 'MS-ContinuationToken': `${next.headers[0]!.value}x` });
    assert.equal(forged.status, 400);
  });

  it('when the start date is more than 90 days back or missing, then 400', async () => {
    assert.equal((await get(simulator, `/v1/auditrecords?${range(91)}`, token)).status, 400);
    assert.equal((await get(simulator, '/v1/auditrecords', token)).status, 400);
  });

  it('when a record is read by its id under /auditactivity, then it is returned; an unknown id is 404', async () => {
    const record = simulator.controls.addAuditRecord({ operationType: 'dap_admin_relationship_terminated', resourceType: 'partner_customer_dap', customerId: 'c2f4d3a8-1e5b-4f7c-9a0d-6b8e2f1c3d47' });
    const answer = await get(simulator, `/auditactivity/v1/auditrecords/${record.id}`, token);
    assert.equal(answer.status, 200);
    assert.equal(answer.json.customerId, 'c2f4d3a8-1e5b-4f7c-9a0d-6b8e2f1c3d47');
    assert.equal((await get(simulator, '/auditactivity/v1/auditrecords/unknown', token)).status, 404);
    assert.equal((await get(simulator, `/auditactivity/v1/auditrecords/${record.id}`, undefined)).status, 401);
  });
});
