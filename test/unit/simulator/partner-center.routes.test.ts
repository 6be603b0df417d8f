import assert from 'node:assert/strict';
import { createRelationshipRequestUrl } from '../../../src/simulator/customers.routes.ts';
import { SIMULATOR_PARTNER_TENANT_ID } from '../../../src/simulator/defaults.ts';
import { SAMPLE_CUSTOMERS, SAMPLE_INDIRECT_PROVIDERS, toGeneratedCustomerId } from '../../../src/simulator/seed.ts';
import { createPartnerCenterSimulator, type PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';
import { accessToken, get } from './sim-client.ts';

const PC_ERROR_KEYS = ['code', 'data', 'description', 'source'];

describe('simulator: Partner Center routes', () => {
  let simulator: PartnerCenterSimulator;
  let appUser: string;
  let appOnly: string;
  beforeEach(async () => {
    simulator = createPartnerCenterSimulator({ seedCustomers: 30 });
    await simulator.start();
    appUser = await accessToken(simulator, 'app-user');
    appOnly = await accessToken(simulator, 'app-only');
  });
  afterEach(() => simulator.stop());

  it('when no or an unknown bearer token is sent, then 401 with the Partner Center error body', async () => {
    for (const token of [undefined, 'not-a-token']) {
      const answer = await get(simulator, '/v1/customers', token);
      assert.equal(answer.status, 401);
      assert.deepEqual(Object.keys(answer.json).sort(), PC_ERROR_KEYS);
      assert.equal(answer.json.source, 'PartnerFD');
    }
  });

  it('when MS-RequestId and MS-CorrelationId are sent, then the answer echoes both', async () => {
    const answer = await get(simulator, '/v1/customers', appOnly, { 'MS-RequestId': 'r-1', 'MS-CorrelationId': 'c-1' });
    assert.equal(answer.headers.get('ms-requestid'), 'r-1');
    assert.equal(answer.headers.get('ms-correlationid'), 'c-1');
  });

  it('when the link is requested App+User, then the documented URL and object type come back', async () => {
    const answer = await get(simulator, '/v1/customers/relationshiprequests', appUser);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, { url: createRelationshipRequestUrl(SIMULATOR_PARTNER_TENANT_ID), attributes: { objectType: 'RelationshipRequest' } });
  });

  it('when the link is requested App-only, then 403 with the Partner Center error body', async () => {
    const answer = await get(simulator, '/v1/customers/relationshiprequests', appOnly);
    assert.equal(answer.status, 403);
    assert.deepEqual(Object.keys(answer.json).sort(), PC_ERROR_KEYS);
  });

  it('when the first page is read, then links.next carries the uri and the MS-ContinuationToken header', async () => {
    const answer = await get(simulator, '/v1/customers?size=20', appOnly);
    const links = answer.json.links as { next: { uri: string; method: string; headers: { key: string; value: string }[] } };
    assert.equal((answer.json.items as unknown[]).length, 20);
    assert.equal(answer.json.totalCount, 20);
    assert.deepEqual((answer.json.attributes as Record<string, string>).objectType, 'Collection');
    assert.equal(links.next.uri, '/v1/customers?size=20&seekOperation=Next');
    assert.equal(links.next.method, 'GET');
    assert.equal(links.next.headers[0]?.key, 'MS-ContinuationToken');
    assert.equal(answer.json.continuationToken, links.next.headers[0]?.value);
  });

  it('when the next page is requested with the header, then it continues; without it, page 1 comes again and a restart is counted', async () => {
    const first = await get(simulator, '/v1/customers?size=30', appOnly);
    const next = (first.json.links as { next: { uri: string; headers: { key: string; value: string }[] } }).next;
    const header = next.headers[0] as { key: string; value: string };
    const second = await get(simulator, next.uri, appOnly, { [header.key]: header.value });
    const ids = (answer: typeof first) => (answer.json.items as { id: string }[]).map((item) => item.id);
    assert.equal(ids(second).length, SAMPLE_CUSTOMERS.length + 30 - 30);
    assert.equal(new Set([...ids(first), ...ids(second)]).size, SAMPLE_CUSTOMERS.length + 30);
    assert.equal((second.json.links as Record<string, unknown>).next, undefined);
    assert.equal(simulator.controls.pageRestarts(), 0);

    const restarted = await get(simulator, next.uri, appOnly);
    assert.deepEqual(ids(restarted).slice(0, 5), ids(first).slice(0, 5));
    assert.equal(simulator.controls.pageRestarts(), 1);
  });

  it('when the continuation token is forged, then 400', async () => {
    const answer = await get(simulator, '/v1/customers?size=20&seekOperation=Next', appOnly, { 'MS-ContinuationToken': 'eyJjIjowLCJzIjoyMH0.forged' });
    assert.equal(answer.status, 400);
  });

  it('when a customer is read by id, then the wire shape includes allowDelegatedAccess, which the list leaves out', async () => {
    const sample = SAMPLE_CUSTOMERS[1];
    assert.ok(sample);
    const one = await get(simulator, `/v1/customers/${sample.id}`, appOnly);
    assert.deepEqual(one.json.companyProfile, { tenantId: sample.id, domain: sample.domain, companyName: sample.companyName, attributes: { objectType: 'CustomerCompanyProfile' } });
    assert.equal(one.json.allowDelegatedAccess, true);
    const list = await get(simulator, '/v1/customers?size=5', appOnly);
    assert.ok((list.json.items as Record<string, unknown>[]).every((item) => !('allowDelegatedAccess' in item)));
  });

  it('when a generated customer is read by its deterministic id, then it is found; an unknown id is 404 with the error body', async () => {
    const found = await get(simulator, `/v1/customers/${toGeneratedCustomerId(29)}`, appOnly);
    assert.equal(found.status, 200);
    assert.equal(toGeneratedCustomerId(29), toGeneratedCustomerId(29));
    assert.match(toGeneratedCustomerId(29), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    const missing = await get(simulator, `/v1/customers/${toGeneratedCustomerId(30)}`, appOnly);
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(missing.json).sort(), PC_ERROR_KEYS);
    assert.deepEqual(missing.json.data, []);
  });

  it('when a customer is added or removed, then the list and lookups follow', async () => {
    const added = simulator.controls.addCustomer({ companyName: 'Neue Kunde AG', domain: 'neue-kunde.de' });
    assert.equal((await get(simulator, `/v1/customers/${added.id}`, appOnly)).status, 200);
    assert.ok(simulator.controls.removeCustomer(SAMPLE_CUSTOMERS[0]?.id ?? ''));
    const list = await get(simulator, '/v1/customers?size=500', appOnly);
    const ids = (list.json.items as { id: string }[]).map((item) => item.id);
    assert.equal(ids.length, SAMPLE_CUSTOMERS.length + 30);
    assert.ok(ids.includes(added.id) && !ids.includes(SAMPLE_CUSTOMERS[0]?.id ?? ''));
    assert.equal((await get(simulator, `/v1/customers/${SAMPLE_CUSTOMERS[0]?.id ?? ''}`, appOnly)).status, 404);
  });

  it('when indirect providers are listed, then two active providers come back, one with a German name', async () => {
    const answer = await get(simulator, '/v1/relationships?relationship_type=IsIndirectResellerOf', appOnly);
    const items = answer.json.items as { id: string; name: string; relationshipType: string; state: string; mpnId: string }[];
    assert.equal(answer.json.totalCount, 2);
    assert.deepEqual(items.map((item) => item.name), SAMPLE_INDIRECT_PROVIDERS.map((provider) => provider.name));
    assert.ok(items.every((item) => item.relationshipType === 'IsIndirectResellerOf' && item.state === 'Active' && item.mpnId));
    assert.equal((await get(simulator, '/v1/relationships', appOnly)).status, 400);
  });
});
