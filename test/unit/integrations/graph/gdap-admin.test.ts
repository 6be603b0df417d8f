import assert from 'node:assert/strict';
import { approvalLink, GLOBAL_ADMINISTRATOR_ROLE, type NewGdapRelationship } from '../../../../src/core/restoration/gdap.port.ts';
import { GLOBAL_READER, HELPDESK_ADMINISTRATOR, SEEDED_GDAP } from '../../../../src/simulator/gdap.ts';
import { SAMPLE_CUSTOMERS } from '../../../../src/simulator/seed.ts';
import { accessToken, call } from '../../simulator/sim-client.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../simulator/webhook-receiver.ts';
import { expectAppError } from '../partner-center/harness.ts';
import { graphRequests, startMicrosoftHarness, type MicrosoftHarness } from '../microsoft-harness.ts';

const COLLECTION = '/v1.0/tenantRelationships/delegatedAdminRelationships';
const DAY_MS = 86_400_000;
const GROUP = '5c1f0b7e-2a4d-4c6e-9f8a-0b1c2d3e4f50';
const wideWorld = SAMPLE_CUSTOMERS.find((customer) => customer.companyName === 'Wide World Importers')!;
const mueller = SAMPLE_CUSTOMERS[0]!;

function request(overrides: Partial<NewGdapRelationship> = {}): NewGdapRelationship {
  return { displayName: 'Wide World Restore 1', customerTenantId: wideWorld.id, customerName: wideWorld.companyName, roles: [GLOBAL_READER, HELPDESK_ADMINISTRATOR], duration: 'P730D', autoExtendDuration: 'PT0S', ...overrides };
}

describe('GdapAdmin on Graph: writing GDAP relationships', () => {
  let harness: MicrosoftHarness;
  afterEach(() => harness?.close());

  it('when a relationship is created, then Graph holds it as created with its customer, roles, duration and an ETag', async () => {
    harness = await startMicrosoftHarness();
    const created = await harness.clients.gdapAdmin.createRelationship(request({ autoExtendDuration: 'P180D', duration: 'P90D' }), harness.context());
    assert.equal(created.status, 'created');
    assert.equal(created.displayName, 'Wide World Restore 1');
    assert.deepEqual(created.customer, { tenantId: wideWorld.id, displayName: wideWorld.companyName });
    assert.deepEqual(created.roles, [GLOBAL_READER, HELPDESK_ADMINISTRATOR]);
    assert.match(created.id, new RegExp(`-${wideWorld.id}$`));
    assert.match(created.etag ?? '', /^W\/"/);
    const stored = harness.simulator.controls.gdapRelationships().find((relationship) => relationship.id === created.id);
    assert.equal(stored?.duration, 'P90D');
    assert.equal(stored?.autoExtendDuration, 'P180D');
    const [sent] = graphRequests(harness.simulator);
    assert.equal(sent?.method, 'POST');
    assert.equal(sent?.path, COLLECTION);
    assert.match(sent?.headers['content-type'] ?? '', /^application\/json/);
    assert.ok(sent?.headers['client-request-id']);
  });

  it('when the input breaks a GDAP rule, then the matching error is raised and nothing is sent', async () => {
    harness = await startMicrosoftHarness();
    const admin = harness.clients.gdapAdmin;
    const cases: [Partial<NewGdapRelationship>, string][] = [
      [{ displayName: '' }, 'GDAP.INVALID_NAME'],
      [{ displayName: '   ' }, 'GDAP.INVALID_NAME'],
      [{ displayName: 'x'.repeat(51) }, 'GDAP.INVALID_NAME'],
      [{ duration: 'P0D' }, 'GDAP.INVALID_DURATION'],
      [{ duration: 'P731D' }, 'GDAP.INVALID_DURATION'],
      [{ duration: 'P2Y' }, 'GDAP.INVALID_DURATION'],
      [{ duration: '730' }, 'GDAP.INVALID_DURATION'],
      [{ roles: [] }, 'GDAP.INVALID_ROLES'],
      [{ roles: [GLOBAL_READER, 'Global Reader'] }, 'GDAP.INVALID_ROLES'],
      [{ roles: [GLOBAL_READER, GLOBAL_ADMINISTRATOR_ROLE.toUpperCase()], autoExtendDuration: 'P180D' }, 'GDAP.AUTO_EXTEND_WITH_GLOBAL_ADMIN'],
      [{ autoExtendDuration: 'P90D' as never }, 'PARTNER_CENTER.BAD_REQUEST'],
      [{ customerTenantId: 'contoso.onmicrosoft.com' }, 'PARTNER_CENTER.BAD_REQUEST'],
    ];
    for (const [overrides, code] of cases) {
      const context = harness.context();
      const error = await expectAppError(admin.createRelationship(request(overrides), context), code);
      assert.equal(error.params.correlationId, context.correlationId);
      assert.equal(error.expected, true);
    }
    await expectAppError(admin.createAccessAssignment(SEEDED_GDAP.active, { securityGroupId: GROUP, roles: [] }, harness.context()), 'GDAP.INVALID_ROLES');
    await expectAppError(admin.createAccessAssignment(SEEDED_GDAP.active, { securityGroupId: 'admins', roles: [GLOBAL_READER] }, harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
    for (const id of ['abc', `${SEEDED_GDAP.active}/requests`]) {
      await expectAppError(admin.lockForApproval(id, harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
      await expectAppError(admin.terminate(id, harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
      await expectAppError(admin.createAccessAssignment(id, { securityGroupId: GROUP, roles: [GLOBAL_READER] }, harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
    }
    await expectAppError(admin.listRelationshipsOf("x' or 1 eq 1", harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
    assert.equal(harness.simulator.controls.requests.length, 0, 'not even a token was requested');
  });

  it('when the input sits on the rules\' edges (50 characters, P1D, P730D, auto-extend without Global Administrator), then Graph takes it', async () => {
    harness = await startMicrosoftHarness();
    const admin = harness.clients.gdapAdmin;
    assert.equal((await admin.createRelationship(request({ displayName: 'n'.repeat(50), duration: 'P1D' }), harness.context())).status, 'created');
    assert.equal((await admin.createRelationship(request({ displayName: 'Two years', duration: 'P730D', autoExtendDuration: 'P180D' }), harness.context())).status, 'created');
    const withGlobalAdmin = await admin.createRelationship(request({ displayName: 'Global admin, no auto-extend', roles: [GLOBAL_ADMINISTRATOR_ROLE] }), harness.context());
    assert.deepEqual(withGlobalAdmin.roles, [GLOBAL_ADMINISTRATOR_ROLE]);
  });

  it('when the display name is taken by another relationship (in any case), then NAME_TAKEN', async () => {
    harness = await startMicrosoftHarness();
    const context = harness.context();
    const error = await expectAppError(harness.clients.gdapAdmin.createRelationship(request({ displayName: 'CONTOSO HELPDESK' }), context), 'GDAP.NAME_TAKEN');
    assert.equal(error.params.correlationId, context.correlationId);
    const created = await harness.clients.gdapAdmin.createRelationship(request(), harness.context());
    await expectAppError(harness.clients.gdapAdmin.createRelationship(request({ customerTenantId: mueller.id }), harness.context()), 'GDAP.NAME_TAKEN');
    await harness.clients.gdapAdmin.lockForApproval(created.id, harness.context());
    await expectAppError(harness.clients.gdapAdmin.createRelationship(request(), harness.context()), 'GDAP.NAME_TAKEN');
    assert.equal(harness.simulator.controls.gdapRelationships().filter((relationship) => relationship.displayName === 'Wide World Restore 1').length, 1);
  });

  it('when the same request was already created (a retried POST whose answer was lost), then that relationship is the answer', async () => {
    harness = await startMicrosoftHarness();
    const first = await harness.clients.gdapAdmin.createRelationship(request(), harness.context());
    const again = await harness.clients.gdapAdmin.createRelationship(request({ roles: [HELPDESK_ADMINISTRATOR, GLOBAL_READER.toUpperCase()] }), harness.context());
    assert.equal(again.id, first.id);
    assert.equal(again.status, 'created');
    assert.ok(again.etag);
    assert.equal(harness.simulator.controls.gdapRelationships().length, 6);
  });

  it('when Graph throttles the create, then Retry-After is waited out and the one retry (same client-request-id) creates one relationship', async () => {
    harness = await startMicrosoftHarness();
    harness.simulator.controls.throttleNext(1, 1, COLLECTION);
    const started = Date.now();
    const created = await harness.clients.gdapAdmin.createRelationship(request(), harness.context());
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    assert.equal(created.status, 'created');
    const posts = graphRequests(harness.simulator).filter((sent) => sent.method === 'POST');
    assert.equal(posts.length, 2);
    assert.equal(posts[0]?.headers['client-request-id'], posts[1]?.headers['client-request-id']);
    assert.equal(harness.simulator.controls.gdapRelationships().filter((relationship) => relationship.customer.tenantId === wideWorld.id).length, 1);
  });

  it('when Graph fails the create once (503), then the retry creates one relationship; a 400 about something else stays BAD_REQUEST', async () => {
    harness = await startMicrosoftHarness();
    harness.simulator.controls.failNext(1, 503, COLLECTION);
    const created = await harness.clients.gdapAdmin.createRelationship(request(), harness.context());
    assert.equal(created.status, 'created');
    assert.equal(harness.simulator.controls.gdapRelationships().length, 6);
    harness.simulator.controls.failNext(1, 400, COLLECTION);
    await expectAppError(harness.clients.gdapAdmin.createRelationship(request({ displayName: 'Something new' }), harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
    assert.equal(harness.simulator.controls.gdapRelationships().length, 6);
  });

  it('when Graph throttles longer than the client waits, then THROTTLED with the seconds', async () => {
    harness = await startMicrosoftHarness({ client: { retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 80, budgetMs: 3_000, maxRetryAfterMs: 1_000 } } });
    harness.simulator.controls.throttleNext(1, 30, `${COLLECTION}/${SEEDED_GDAP.approvalPending}`);
    const error = await expectAppError(harness.clients.gdapAdmin.terminate(SEEDED_GDAP.approvalPending, harness.context()), 'PARTNER_CENTER.THROTTLED');
    assert.equal(error.params.seconds, 30);
  });

  it('when a created relationship is locked for approval, then it waits for the customer; locking twice is harmless', async () => {
    harness = await startMicrosoftHarness();
    const admin = harness.clients.gdapAdmin;
    const created = await admin.createRelationship(request(), harness.context());
    await admin.lockForApproval(created.id, harness.context());
    assert.equal((await admin.getRelationship(created.id, harness.context())).status, 'approvalPending');
    await admin.lockForApproval(created.id, harness.context());
    const posts = graphRequests(harness.simulator).filter((sent) => sent.method === 'POST' && sent.path.endsWith('/requests'));
    assert.deepEqual(posts.map((sent) => sent.path), [`${COLLECTION}/${created.id}/requests`, `${COLLECTION}/${created.id}/requests`]);
    assert.equal(approvalLink(created.id), `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${created.id}`);
  });

  it('when a relationship cannot take a step, then WRONG_STATUS — or EXPIRED, which no step revives; an unknown one is NOT_FOUND', async () => {
    harness = await startMicrosoftHarness();
    const admin = harness.clients.gdapAdmin;
    const wrong = await expectAppError(admin.lockForApproval(SEEDED_GDAP.active, harness.context()), 'GDAP.WRONG_STATUS');
    assert.equal(wrong.params.status, 'active');
    await expectAppError(admin.lockForApproval(SEEDED_GDAP.expired, harness.context()), 'GDAP.EXPIRED');
    await expectAppError(admin.createAccessAssignment(SEEDED_GDAP.expired, { securityGroupId: GROUP, roles: [GLOBAL_READER] }, harness.context()), 'GDAP.EXPIRED');
    await expectAppError(admin.createAccessAssignment(SEEDED_GDAP.approvalPending, { securityGroupId: GROUP, roles: [GLOBAL_READER] }, harness.context()), 'GDAP.WRONG_STATUS');
    await expectAppError(admin.terminate(SEEDED_GDAP.approvalPending, harness.context()), 'GDAP.WRONG_STATUS');
    await expectAppError(admin.lockForApproval(`${SEEDED_GDAP.active.slice(0, -1)}0`, harness.context()), 'PARTNER_CENTER.NOT_FOUND');
  });

  it('when an active relationship is terminated, then it is terminationRequested and then terminated; terminating again is harmless', async () => {
    harness = await startMicrosoftHarness();
    const admin = harness.clients.gdapAdmin;
    await admin.terminate(SEEDED_GDAP.activeLongTerm, harness.context());
    assert.equal(harness.simulator.controls.gdapRelationships().find((relationship) => relationship.id === SEEDED_GDAP.activeLongTerm)?.status, 'terminated');
    const read = await admin.getRelationship(SEEDED_GDAP.activeLongTerm, harness.context());
    assert.equal(read.status, 'terminated');
    await admin.terminate(SEEDED_GDAP.activeLongTerm, harness.context());
  });

  it('when auto-extend is enabled, then one PATCH with the ETag in If-Match sets P180D; again is harmless; Global Administrator is refused before any PATCH, an expired one is EXPIRED', async () => {
    harness = await startMicrosoftHarness();
    const admin = harness.clients.gdapAdmin;
    const updated = await admin.enableAutoExtend(SEEDED_GDAP.expiringSoon, harness.context());
    assert.equal(updated.autoExtendDuration, 'P180D');
    assert.equal(harness.simulator.controls.gdapRelationships().find((relationship) => relationship.id === SEEDED_GDAP.expiringSoon)?.autoExtendDuration, 'P180D');
    const patches = () => graphRequests(harness.simulator).filter((sent) => sent.method === 'PATCH');
    assert.equal(patches().length, 1);
    assert.match(patches()[0]?.headers['if-match'] ?? '', /^W\/"/);
    await admin.enableAutoExtend(SEEDED_GDAP.expiringSoon, harness.context());
    assert.equal(patches().length, 1, 'already on: nothing to send');

    const withGlobalAdmin = harness.simulator.controls.addGdapRelationship({ customer: { tenantId: wideWorld.id, displayName: wideWorld.companyName }, status: 'active', roles: [GLOBAL_READER, GLOBAL_ADMINISTRATOR_ROLE], endDateTime: new Date(Date.now() + 10 * DAY_MS).toISOString() });
    await expectAppError(admin.enableAutoExtend(withGlobalAdmin.id, harness.context()), 'GDAP.AUTO_EXTEND_WITH_GLOBAL_ADMIN');
    await expectAppError(admin.enableAutoExtend(SEEDED_GDAP.expired, harness.context()), 'GDAP.EXPIRED');
    assert.equal(patches().length, 2, 'only the expired one reached Graph (and was refused)');
    await expectAppError(admin.enableAutoExtend('abc', harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
  });

  it('when a customer\'s relationships are listed, then Graph filters by customer/tenantId and every one of theirs comes back', async () => {
    harness = await startMicrosoftHarness();
    const admin = harness.clients.gdapAdmin;
    const created = await admin.createRelationship(request({ customerTenantId: mueller.id, customerName: mueller.companyName, displayName: 'Mueller restore' }), harness.context());
    const theirs = await admin.listRelationshipsOf(mueller.id.toUpperCase(), harness.context());
    assert.deepEqual(theirs.map((relationship) => relationship.id).sort(), [SEEDED_GDAP.active, created.id].sort());
    const listed = graphRequests(harness.simulator).filter((sent) => sent.method === 'GET');
    assert.equal(listed.at(-1)?.path, `${COLLECTION}?$filter=customer%2FtenantId%20eq%20%27${mueller.id}%27`);
    assert.deepEqual(await admin.listRelationshipsOf(wideWorld.id, harness.context()), []);
  });

  it('when a security group is assigned on an active relationship, then the assignment is pending, then active; a repeated assignment is the same one', async () => {
    harness = await startMicrosoftHarness();
    const admin = harness.clients.gdapAdmin;
    const assignment = await admin.createAccessAssignment(SEEDED_GDAP.active, { securityGroupId: GROUP, roles: [GLOBAL_READER] }, harness.context());
    assert.equal(assignment.status, 'pending');
    assert.match(assignment.id, /^[0-9a-f-]{36}$/);
    const again = await admin.createAccessAssignment(SEEDED_GDAP.active, { securityGroupId: GROUP.toUpperCase(), roles: [GLOBAL_READER] }, harness.context());
    assert.equal(again.id, assignment.id);
    assert.equal(again.status, 'active');
    const stored = harness.simulator.controls.gdapAccessAssignments(SEEDED_GDAP.active);
    assert.deepEqual(stored?.map((item) => [item.securityGroupId, item.roles, item.status]), [[GROUP, [GLOBAL_READER], 'active']]);
  });

  it('when delegated admin customers are listed, then each customer with an active relationship comes once, across pages of 300', async () => {
    harness = await startMicrosoftHarness();
    const admin = harness.clients.gdapAdmin;
    const seeded = await admin.listDelegatedAdminCustomers(harness.context());
    assert.deepEqual(seeded.map((customer) => customer.tenantId).sort(), [SAMPLE_CUSTOMERS[0]!.id, SAMPLE_CUSTOMERS[1]!.id, SAMPLE_CUSTOMERS[6]!.id].sort());
    assert.equal(seeded.find((customer) => customer.tenantId === mueller.id)?.displayName, mueller.companyName);
    for (let index = 0; index < 350; index += 1) {
      harness.simulator.controls.addGdapRelationship({ customer: { tenantId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, displayName: `Customer ${index}` }, status: 'active', endDateTime: new Date(Date.now() + DAY_MS).toISOString() });
    }
    const all = await admin.listDelegatedAdminCustomers(harness.context());
    assert.equal(all.length, 353);
    const paths = graphRequests(harness.simulator).map((sent) => sent.path).filter((path) => path.includes('delegatedAdminCustomers'));
    assert.equal(paths[1], '/v1.0/tenantRelationships/delegatedAdminCustomers?$top=300');
    assert.match(paths[2] ?? '', /\$skiptoken=/);
  });
});

describe('GdapAdmin on Graph: the whole lifecycle', () => {
  let harness: MicrosoftHarness;
  let receiver: WebhookReceiver;
  afterEach(async () => {
    await harness?.close();
    await receiver?.stop();
  });

  it('created → approvalPending → active (the customer approves) → access assigned → terminated, with the approved webhook naming the relationship', async () => {
    harness = await startMicrosoftHarness();
    receiver = await startWebhookReceiver();
    const registered = await call(`${harness.simulator.url}/webhooks/v1/registration`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await accessToken(harness.simulator, 'app-only')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ WebhookUrl: receiver.url, WebhookEvents: ['granular-admin-relationship-approved', 'granular-admin-relationship-terminated'] }),
    });
    assert.equal(registered.status, 200);
    const admin = harness.clients.gdapAdmin;

    const created = await admin.createRelationship(request({ duration: 'P180D' }), harness.context());
    await assert.rejects(harness.simulator.controls.runScenario('gdap-approve', created.id), /not locked for approval/);
    await admin.lockForApproval(created.id, harness.context());
    assert.equal((await admin.getRelationship(created.id, harness.context())).status, 'approvalPending');

    const approved = await harness.simulator.controls.runScenario('gdap-approve', created.id);
    assert.equal(approved.relationshipId, created.id);
    assert.equal(approved.customer.companyName, wideWorld.companyName);
    const [webhook] = await receiver.waitFor(1);
    assert.equal(webhook?.json.EventName, 'granular-admin-relationship-approved');
    assert.match(webhook?.json.ResourceUri as string, new RegExp(`/granularAdminRelationships/${created.id}$`));
    const active = await admin.getRelationship(created.id, harness.context());
    assert.equal(active.status, 'active');
    const days = (Date.parse(active.endDateTime ?? '') - Date.parse(active.activatedDateTime ?? '')) / DAY_MS;
    assert.equal(days, 180);
    assert.ok((await admin.listDelegatedAdminCustomers(harness.context())).some((customer) => customer.tenantId === wideWorld.id));

    const assignment = await admin.createAccessAssignment(created.id, { securityGroupId: GROUP, roles: [HELPDESK_ADMINISTRATOR] }, harness.context());
    assert.equal(assignment.status, 'pending');
    assert.equal(harness.simulator.controls.gdapAccessAssignments(created.id)?.[0]?.status, 'active');

    await admin.terminate(created.id, harness.context());
    assert.equal((await admin.getRelationship(created.id, harness.context())).status, 'terminated');
    assert.equal(harness.simulator.controls.gdapAccessAssignments(created.id)?.[0]?.status, 'deleted');
    assert.ok(!(await admin.listDelegatedAdminCustomers(harness.context())).some((customer) => customer.tenantId === wideWorld.id));
    await expectAppError(admin.lockForApproval(created.id, harness.context()), 'GDAP.WRONG_STATUS');
  });

  it('when the customer does not approve within 90 days (fake clock), then the request expires and cannot be revived', async () => {
    let offset = 0;
    const clock = { now: () => Date.now() + offset };
    harness = await startMicrosoftHarness({ simulator: { clock }, client: { clock } });
    const admin = harness.clients.gdapAdmin;
    const created = await admin.createRelationship(request(), harness.context());
    await admin.lockForApproval(created.id, harness.context());

    offset = 89 * DAY_MS;
    assert.equal((await admin.getRelationship(created.id, harness.context())).status, 'approvalPending');
    offset = 90 * DAY_MS + 1_000;
    const expired = await admin.getRelationship(created.id, harness.context());
    assert.equal(expired.status, 'expired');
    assert.equal(Date.parse(expired.endDateTime ?? ''), Date.parse(created.createdDateTime ?? '') + 90 * DAY_MS);

    await expectAppError(admin.lockForApproval(created.id, harness.context()), 'GDAP.EXPIRED');
    await expectAppError(admin.createAccessAssignment(created.id, { securityGroupId: GROUP, roles: [GLOBAL_READER] }, harness.context()), 'GDAP.EXPIRED');
    await assert.rejects(harness.simulator.controls.runScenario('gdap-approve', created.id), /is expired, not waiting for approval/);
    const seededPending = await admin.getRelationship(SEEDED_GDAP.approvalPending, harness.context());
    assert.equal(seededPending.status, 'expired', 'the seeded request (2 days old at start) expired too');
  });
});
