import assert from 'node:assert/strict';
import { SIMULATOR_REFRESH_TOKEN } from '../../../src/simulator/defaults.ts';
import { SEEDED_GDAP } from '../../../src/simulator/gdap.ts';
import { startSimulator, type PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';
import { accessToken, get, requestToken } from './sim-client.ts';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const COLLECTION = '/v1.0/tenantRelationships/delegatedAdminRelationships';

describe('simulator: Graph GDAP relationships', () => {
  let simulator: PartnerCenterSimulator;
  let graphToken: string;
  beforeEach(async () => {
    simulator = await startSimulator();
    const answer = await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: SIMULATOR_REFRESH_TOKEN, scope: `${GRAPH_SCOPE} offline_access` });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.scope, GRAPH_SCOPE);
    graphToken = answer.json.access_token as string;
  });
  afterEach(() => simulator.stop());

  it('when listed with $top, then pages follow an absolute @odata.nextLink until every relationship was read', async () => {
    const first = await get(simulator, `${COLLECTION}?$top=2`, graphToken, { 'client-request-id': 'c-1' });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('client-request-id'), 'c-1');
    assert.ok(first.headers.get('request-id'));
    assert.equal((first.json.value as unknown[]).length, 2);
    const nextLink = first.json['@odata.nextLink'] as string;
    assert.ok(nextLink.startsWith(`${simulator.url}${COLLECTION}?$top=2&$skiptoken=`));
    const second = await get(simulator, nextLink.slice(simulator.url.length), graphToken);
    const third = await get(simulator, (second.json['@odata.nextLink'] as string).slice(simulator.url.length), graphToken);
    assert.equal((third.json.value as unknown[]).length, 1);
    assert.equal(third.json['@odata.nextLink'], undefined);
  });

  it('when one relationship is read, then it has Graph shape: customer, access details, null dates while pending', async () => {
    const answer = await get(simulator, `${COLLECTION}/${SEEDED_GDAP.approvalPending}`, graphToken);
    assert.equal(answer.status, 200);
    assert.equal(answer.json.status, 'approvalPending');
    assert.equal(answer.json.activatedDateTime, null);
    assert.equal(answer.json.autoExtendDuration, 'PT0S');
    assert.ok((answer.json.accessDetails as { unifiedRoles: unknown[] }).unifiedRoles.length > 0);
  });

  it('when the id is unknown or the $top too large, then Graph error bodies with 404 and 400', async () => {
    const missing = await get(simulator, `${COLLECTION}/${SEEDED_GDAP.active.replace(/.$/, '0')}`, graphToken);
    assert.equal(missing.status, 404);
    assert.equal((missing.json.error as { code: string }).code, 'Request_ResourceNotFound');
    const tooMany = await get(simulator, `${COLLECTION}?$top=301`, graphToken);
    assert.equal(tooMany.status, 400);
    assert.ok((tooMany.json.error as { innerError: Record<string, string> }).innerError['request-id']);
  });

  it('when a Partner Center token is used on Graph (or a Graph token on Partner Center), then 401', async () => {
    const partnerCenterToken = await accessToken(simulator, 'app-user');
    const onGraph = await get(simulator, COLLECTION, partnerCenterToken);
    assert.equal(onGraph.status, 401);
    assert.equal((onGraph.json.error as { code: string }).code, 'InvalidAuthenticationToken');
    assert.equal((await get(simulator, '/v1/customers', graphToken)).status, 401);
  });

  it('when an App-only Graph token is asked for, then invalid_scope (the simulated app holds delegated Graph permissions only)', async () => {
    const answer = await requestToken(simulator, { grant_type: 'client_credentials', scope: GRAPH_SCOPE });
    assert.equal(answer.json.error, 'invalid_scope');
  });

  it('when faults are queued for /v1.0/, then Graph answers them in its own error shape and Partner Center is untouched', async () => {
    simulator.controls.throttleNext(1, 3, '/v1.0/');
    const throttled = await get(simulator, COLLECTION, graphToken);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '3');
    assert.equal((throttled.json.error as { code: string }).code, 'TooManyRequests');
    simulator.controls.failNext(1, 503);
    assert.equal((await get(simulator, COLLECTION, graphToken)).status, 200, 'a fault without prefix stays on Partner Center paths');
  });

  it('when reset, then added and changed relationships are gone', async () => {
    simulator.controls.updateGdapRelationship(SEEDED_GDAP.active, { status: 'terminated' });
    simulator.controls.addGdapRelationship({ customer: { tenantId: '11111111-1111-4111-8111-111111111111', displayName: 'New' } });
    simulator.controls.reset();
    const relationships = simulator.controls.gdapRelationships();
    assert.equal(relationships.length, 5);
    assert.equal(relationships.find((relationship) => relationship.id === SEEDED_GDAP.active)?.status, 'active');
  });
});
