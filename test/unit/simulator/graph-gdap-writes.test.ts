import assert from 'node:assert/strict';
import { SIMULATOR_REFRESH_TOKEN } from '../../../src/simulator/defaults.ts';
import { GLOBAL_ADMINISTRATOR, GLOBAL_READER, HELPDESK_ADMINISTRATOR, SEEDED_GDAP } from '../../../src/simulator/gdap.ts';
import { SAMPLE_CUSTOMERS } from '../../../src/simulator/seed.ts';
import { createPartnerCenterSimulator, startSimulator, type PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';
import { call, get, requestToken, type Answer } from './sim-client.ts';

const COLLECTION = '/v1.0/tenantRelationships/delegatedAdminRelationships';
const CUSTOMERS = '/v1.0/tenantRelationships/delegatedAdminCustomers';
const DAY_MS = 86_400_000;
const GROUP = '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f';
const wideWorld = SAMPLE_CUSTOMERS.find((customer) => customer.companyName === 'Wide World Importers')!;

async function graphToken(simulator: PartnerCenterSimulator): Promise<string> {
  const answer = await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: simulator.controls.currentRefreshToken() || SIMULATOR_REFRESH_TOKEN, scope: 'https://graph.microsoft.com/.default' });
  assert.equal(answer.status, 200);
  return answer.json.access_token as string;
}

function post(simulator: PartnerCenterSimulator, path: string, token: string, body: unknown): Promise<Answer> {
  return call(`${simulator.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'client-request-id': 'c-7' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

function relationshipBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    displayName: 'Wide World GDAP',
    duration: 'P730D',
    customer: { tenantId: wideWorld.id },
    accessDetails: { unifiedRoles: [{ roleDefinitionId: GLOBAL_READER }, { roleDefinitionId: HELPDESK_ADMINISTRATOR }] },
    autoExtendDuration: 'PT0S',
    ...overrides,
  };
}

function graphError(answer: Answer): { code: string; message: string; innerError: Record<string, string> } {
  return answer.json.error as { code: string; message: string; innerError: Record<string, string> };
}

describe('simulator: writing GDAP through Graph', () => {
  let simulator: PartnerCenterSimulator;
  let token: string;
  beforeEach(async () => {
    simulator = await startSimulator();
    token = await graphToken(simulator);
  });
  afterEach(() => simulator.stop());

  it('when a relationship is created, then 201 with Location, status created, the customer\'s name and an ETag', async () => {
    const answer = await post(simulator, COLLECTION, token, relationshipBody());
    assert.equal(answer.status, 201);
    assert.equal(answer.headers.get('client-request-id'), 'c-7');
    const id = answer.json.id as string;
    assert.match(id, new RegExp(`^[0-9a-f-]{36}-${wideWorld.id}$`));
    assert.equal(answer.headers.get('location'), `${simulator.url}${COLLECTION}/${id}`);
    assert.equal(answer.json.status, 'created');
    assert.equal(answer.json.autoExtendDuration, 'PT0S');
    assert.equal(answer.json.activatedDateTime, null);
    assert.match(answer.json['@odata.etag'] as string, /^W\/"/);
    assert.deepEqual(answer.json.customer, { tenantId: wideWorld.id, displayName: wideWorld.companyName });
    assert.equal((await get(simulator, `${COLLECTION}/${id}`, token)).json.status, 'created');
  });

  it('when the display name is taken (in any case), then 400 with Graph\'s error body and nothing is created', async () => {
    const answer = await post(simulator, COLLECTION, token, relationshipBody({ displayName: 'contoso helpdesk' }));
    assert.equal(answer.status, 400);
    assert.equal(graphError(answer).code, 'BadRequest');
    assert.match(graphError(answer).message, /already exists/);
    assert.equal(graphError(answer).innerError['client-request-id'], 'c-7');
    assert.equal(simulator.controls.gdapRelationships().length, 5);
  });

  it('when the body breaks a rule (name, duration, roles, customer, auto-extend with Global Administrator, not JSON), then 400', async () => {
    const bodies: unknown[] = [
      relationshipBody({ displayName: 'x'.repeat(51) }),
      relationshipBody({ displayName: '' }),
      relationshipBody({ duration: 'P731D' }),
      relationshipBody({ duration: 'P0D' }),
      relationshipBody({ duration: 'P1Y' }),
      relationshipBody({ autoExtendDuration: 'P90D' }),
      relationshipBody({ autoExtendDuration: 'P180D', accessDetails: { unifiedRoles: [{ roleDefinitionId: GLOBAL_ADMINISTRATOR }] } }),
      relationshipBody({ accessDetails: { unifiedRoles: [] } }),
      relationshipBody({ accessDetails: { unifiedRoles: [{ roleDefinitionId: 'Global Reader' }] } }),
      relationshipBody({ customer: { tenantId: 'contoso.com' } }),
      '{ not json',
    ];
    for (const body of bodies) {
      const answer = await post(simulator, COLLECTION, token, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(graphError(answer).code, 'BadRequest');
    }
    assert.equal(simulator.controls.gdapRelationships().length, 5);
    assert.equal((await post(simulator, COLLECTION, token, relationshipBody({ autoExtendDuration: 'P180D' }))).json.autoExtendDuration, 'P180D');
  });

  it('when lockForApproval is requested, then 201 with the request and the relationship waits for approval; a second lock is refused', async () => {
    const id = (await post(simulator, COLLECTION, token, relationshipBody())).json.id as string;
    const locked = await post(simulator, `${COLLECTION}/${id}/requests`, token, { action: 'lockForApproval' });
    assert.equal(locked.status, 201);
    assert.equal(locked.json['@odata.type'], '#microsoft.graph.delegatedAdminRelationshipRequest');
    assert.equal(locked.json.action, 'lockForApproval');
    assert.equal(locked.json.status, 'created');
    assert.equal((await get(simulator, `${COLLECTION}/${id}`, token)).json.status, 'approvalPending');
    assert.equal((await post(simulator, `${COLLECTION}/${id}/requests`, token, { action: 'lockForApproval' })).status, 400);
    assert.equal((await post(simulator, `${COLLECTION}/${id}/requests`, token, { action: 'approve' })).status, 400);
    assert.equal((await post(simulator, `${COLLECTION}/${SEEDED_GDAP.active.replace(/.$/, '0')}/requests`, token, { action: 'terminate' })).status, 404);
  });

  it('when an active relationship is terminated, then terminationRequested at once and terminated by the next read', async () => {
    assert.equal((await post(simulator, `${COLLECTION}/${SEEDED_GDAP.active}/requests`, token, { action: 'terminate' })).status, 201);
    const read = await get(simulator, `${COLLECTION}/${SEEDED_GDAP.active}`, token);
    assert.equal(read.json.status, 'terminated');
    assert.ok(Date.parse(read.json.endDateTime as string) <= Date.now());
    assert.equal((await post(simulator, `${COLLECTION}/${SEEDED_GDAP.active}/requests`, token, { action: 'terminate' })).status, 400);
    assert.equal((await post(simulator, `${COLLECTION}/${SEEDED_GDAP.approvalPending}/requests`, token, { action: 'terminate' })).status, 400);
  });

  it('when access is assigned, then only on an active relationship, with its roles, once per security group; pending then active', async () => {
    const assignment = { accessContainer: { accessContainerId: GROUP, accessContainerType: 'securityGroup' }, accessDetails: { unifiedRoles: [{ roleDefinitionId: GLOBAL_READER }] } };
    const path = `${COLLECTION}/${SEEDED_GDAP.active}/accessAssignments`;
    const created = await post(simulator, path, token, assignment);
    assert.equal(created.status, 201);
    assert.equal(created.json.status, 'pending');
    assert.deepEqual(created.json.accessContainer, assignment.accessContainer);
    assert.equal(created.headers.get('location'), `${simulator.url}${path}/${created.json.id as string}`);
    const listed = await get(simulator, path, token);
    assert.deepEqual((listed.json.value as { status: string }[]).map((item) => item.status), ['active']);
    assert.equal((await get(simulator, `${path}/${created.json.id as string}`, token)).json.status, 'active');
    assert.equal((await post(simulator, path, token, assignment)).status, 409);
    const foreignRole = { ...assignment, accessDetails: { unifiedRoles: [{ roleDefinitionId: GLOBAL_ADMINISTRATOR }] } };
    assert.equal((await post(simulator, path, token, { ...foreignRole, accessContainer: { accessContainerId: HELPDESK_ADMINISTRATOR, accessContainerType: 'securityGroup' } })).status, 400);
    assert.equal((await post(simulator, `${COLLECTION}/${SEEDED_GDAP.approvalPending}/accessAssignments`, token, assignment)).status, 400);
    assert.equal((await post(simulator, path, token, { ...assignment, accessContainer: { accessContainerId: GROUP, accessContainerType: 'user' } })).status, 400);
  });

  it('when relationships are filtered by customer or status, then only matches come back; an unsupported $filter is 400', async () => {
    const byCustomer = await get(simulator, `${COLLECTION}?$filter=${encodeURIComponent(`customer/tenantId eq '${SAMPLE_CUSTOMERS[0]!.id}'`)}`, token);
    assert.deepEqual((byCustomer.json.value as { id: string }[]).map((item) => item.id), [SEEDED_GDAP.active]);
    const active = await get(simulator, `${COLLECTION}?$top=1&$filter=${encodeURIComponent("status eq 'active'")}`, token);
    assert.equal((active.json.value as unknown[]).length, 1);
    const next = await get(simulator, (active.json['@odata.nextLink'] as string).slice(simulator.url.length), token);
    const last = await get(simulator, (next.json['@odata.nextLink'] as string).slice(simulator.url.length), token);
    assert.equal(last.json['@odata.nextLink'], undefined, 'the filter travels in the $skiptoken: three active relationships, three pages');
    assert.equal((await get(simulator, `${COLLECTION}?$filter=${encodeURIComponent("startswith(displayName,'C')")}`, token)).status, 400);
  });

  it('when delegated admin customers are read, then those with an active relationship, paged with $top ≤ 300', async () => {
    const answer = await get(simulator, `${CUSTOMERS}?$top=2`, token);
    assert.equal(answer.status, 200);
    const value = answer.json.value as { id: string; tenantId: string; displayName: string }[];
    assert.deepEqual(value[0], { '@odata.type': '#microsoft.graph.delegatedAdminCustomer', id: SAMPLE_CUSTOMERS[0]!.id, tenantId: SAMPLE_CUSTOMERS[0]!.id, displayName: SAMPLE_CUSTOMERS[0]!.companyName });
    const rest = await get(simulator, (answer.json['@odata.nextLink'] as string).slice(simulator.url.length), token);
    assert.equal((rest.json.value as unknown[]).length, 1);
    assert.equal((await get(simulator, `${CUSTOMERS}?$top=301`, token)).status, 400);
  });

  it('when a method Graph does not offer is used, then 405 in Graph\'s shape', async () => {
    const deleted = await call(`${simulator.url}${COLLECTION}/${SEEDED_GDAP.active}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    assert.equal(deleted.status, 405);
    assert.equal(graphError(deleted).code, 'MethodNotAllowed');
    const patchedCollection = await call(`${simulator.url}${COLLECTION}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(patchedCollection.status, 405);
    assert.equal((await post(simulator, `${COLLECTION}/${SEEDED_GDAP.active}`, token, {})).status, 405);
    assert.equal((await post(simulator, CUSTOMERS, token, {})).status, 405);
  });

  it('when autoExtendDuration is patched, then only with the current ETag in If-Match, only that field, and never with Global Administrator', async () => {
    const patch = (id: string, body: unknown, ifMatch?: string) =>
      call(`${simulator.url}${COLLECTION}/${id}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) }, body: JSON.stringify(body) });
    const before = await get(simulator, `${COLLECTION}/${SEEDED_GDAP.expiringSoon}`, token);
    const etag = before.json['@odata.etag'] as string;
    assert.equal(before.json.autoExtendDuration, 'PT0S');
    assert.equal((await patch(SEEDED_GDAP.expiringSoon, { autoExtendDuration: 'P180D' })).status, 400, 'If-Match is required');
    assert.equal((await patch(SEEDED_GDAP.expiringSoon, { autoExtendDuration: 'P180D' }, 'W/"stale"')).status, 412);
    assert.equal((await patch(SEEDED_GDAP.expiringSoon, { autoExtendDuration: 'P90D' }, etag)).status, 400);
    assert.equal((await patch(SEEDED_GDAP.expiringSoon, { autoExtendDuration: 'P180D', displayName: 'x' }, etag)).status, 400);
    assert.equal((await get(simulator, `${COLLECTION}/${SEEDED_GDAP.expiringSoon}`, token)).json.autoExtendDuration, 'PT0S', 'nothing changed by the refused ones');

    const patched = await patch(SEEDED_GDAP.expiringSoon, { autoExtendDuration: 'P180D' }, etag);
    assert.equal(patched.status, 200);
    assert.equal(patched.json.autoExtendDuration, 'P180D');
    assert.notEqual(patched.json['@odata.etag'], etag);
    assert.equal((await patch(SEEDED_GDAP.expiringSoon, { autoExtendDuration: 'PT0S' }, etag)).status, 412, 'the old ETag is stale now');

    const withGlobalAdmin = simulator.controls.addGdapRelationship({ customer: { tenantId: wideWorld.id, displayName: wideWorld.companyName }, status: 'active', roles: [GLOBAL_ADMINISTRATOR], endDateTime: new Date(Date.now() + 10 * DAY_MS).toISOString() });
    const current = (await get(simulator, `${COLLECTION}/${withGlobalAdmin.id}`, token)).json['@odata.etag'] as string;
    const refused = await patch(withGlobalAdmin.id, { autoExtendDuration: 'P180D' }, current);
    assert.equal(refused.status, 400);
    assert.match(graphError(refused).message, /Global Administrator/);
    assert.equal((await patch(SEEDED_GDAP.expired, { autoExtendDuration: 'P180D' }, '*')).status, 400, 'an expired relationship cannot change');
  });

  it('when the gdap-approve scenario names an API-created relationship, then only a locked one is approved, for its own duration', async () => {
    const id = (await post(simulator, COLLECTION, token, relationshipBody({ duration: 'P30D' }))).json.id as string;
    await assert.rejects(simulator.controls.runScenario('gdap-approve', id), /not locked for approval yet/);
    await assert.rejects(simulator.controls.runScenario('gdap-approve', wideWorld.companyName), /not locked for approval yet/);
    await post(simulator, `${COLLECTION}/${id}/requests`, token, { action: 'lockForApproval' });
    const result = await simulator.controls.runScenario('gdap-approve', wideWorld.companyName);
    assert.equal(result.relationshipId, id);
    const read = await get(simulator, `${COLLECTION}/${id}`, token);
    assert.equal(read.json.status, 'active');
    assert.equal(Date.parse(read.json.endDateTime as string) - Date.parse(read.json.activatedDateTime as string), 30 * DAY_MS);
    assert.equal((await simulator.controls.runScenario('gdap-terminate', id)).event.EventName, 'granular-admin-relationship-terminated');
  });

  it('when reset, then created relationships and access assignments are gone', async () => {
    await post(simulator, COLLECTION, token, relationshipBody());
    const assignment = { accessContainer: { accessContainerId: GROUP, accessContainerType: 'securityGroup' }, accessDetails: { unifiedRoles: [{ roleDefinitionId: GLOBAL_READER }] } };
    await post(simulator, `${COLLECTION}/${SEEDED_GDAP.active}/accessAssignments`, token, assignment);
    simulator.controls.reset();
    assert.equal(simulator.controls.gdapRelationships().length, 5);
    assert.deepEqual(simulator.controls.gdapAccessAssignments(SEEDED_GDAP.active), []);
  });
});

describe('simulator: GDAP relationships on the simulator\'s clock', () => {
  let simulator: PartnerCenterSimulator;
  let offset: number;
  beforeEach(async () => {
    offset = 0;
    simulator = createPartnerCenterSimulator({ clock: { now: () => Date.now() + offset } });
    await simulator.start();
  });
  afterEach(() => simulator.stop());

  it('when nobody approves a request for 90 days, then it expires (at created + 90 days) and cannot be approved or locked', async () => {
    const created = await post(simulator, COLLECTION, await graphToken(simulator), relationshipBody());
    const id = created.json.id as string;
    offset = 90 * DAY_MS - 60_000;
    assert.equal(simulator.controls.gdapRelationships().find((relationship) => relationship.id === id)?.status, 'created');
    offset = 90 * DAY_MS;
    // The access token from before the jump has expired on the simulator's clock too.
    const token = await graphToken(simulator);
    const read = await get(simulator, `${COLLECTION}/${id}`, token);
    assert.equal(read.json.status, 'expired');
    assert.equal(read.json.endDateTime, new Date(Date.parse(created.json.createdDateTime as string) + 90 * DAY_MS).toISOString());
    assert.equal((await post(simulator, `${COLLECTION}/${id}/requests`, token, { action: 'lockForApproval' })).status, 400);
    assert.ok('status' in simulator.controls.approveGdapRelationship(id));
    assert.equal(simulator.controls.gdapRelationships().find((relationship) => relationship.id === SEEDED_GDAP.approvalPending)?.status, 'expired');
  });

  it('when an active relationship reaches its end date, then it expires — unless it auto-extends by 180 days', async () => {
    const token = await graphToken(simulator);
    const plain = (await post(simulator, COLLECTION, token, relationshipBody({ displayName: 'Plain', duration: 'P10D' }))).json.id as string;
    const extending = (await post(simulator, COLLECTION, token, relationshipBody({ displayName: 'Extending', duration: 'P10D', autoExtendDuration: 'P180D' }))).json.id as string;
    for (const id of [plain, extending]) {
      await post(simulator, `${COLLECTION}/${id}/requests`, token, { action: 'lockForApproval' });
      const approved = simulator.controls.approveGdapRelationship(id);
      assert.equal('status' in approved && approved.status, 'active');
    }
    offset = 11 * DAY_MS;
    const now = Date.now() + offset;
    const relationships = simulator.controls.gdapRelationships();
    assert.equal(relationships.find((relationship) => relationship.id === plain)?.status, 'expired');
    const extended = relationships.find((relationship) => relationship.id === extending);
    assert.equal(extended?.status, 'active');
    const daysLeft = (Date.parse(extended?.endDateTime ?? '') - now) / DAY_MS;
    assert.ok(daysLeft > 178 && daysLeft <= 180, `ends in ${daysLeft} days`);
    assert.equal(relationships.find((relationship) => relationship.id === SEEDED_GDAP.expiringSoon)?.status, 'expired', 'the seeded one ending within 14 days');
  });
});
