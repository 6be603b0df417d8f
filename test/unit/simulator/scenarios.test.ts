import assert from 'node:assert/strict';
import { SEEDED_GDAP } from '../../../src/simulator/gdap.ts';
import { ScenarioError } from '../../../src/simulator/scenarios/index.ts';
import { SAMPLE_CUSTOMERS } from '../../../src/simulator/seed.ts';
import { startSimulator, type PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';
import { accessToken, call, get, requestToken } from './sim-client.ts';
import { isSignedBySimulator, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

const EVERY_EVENT = [
  'test-created',
  'reseller-relationship-accepted-by-customer',
  'indirect-reseller-relationship-accepted-by-customer',
  'dap-admin-relationship-terminated',
  'dap-admin-relationship-terminated-by-microsoft',
  'granular-admin-relationship-approved',
  'granular-admin-relationship-terminated',
  'granular-admin-relationship-expired',
];
const contoso = SAMPLE_CUSTOMERS[1]!;

describe('simulator: scenarios', () => {
  let simulator: PartnerCenterSimulator;
  let receiver: WebhookReceiver;
  let token: string;
  beforeEach(async () => {
    simulator = await startSimulator();
    receiver = await startWebhookReceiver();
    token = await accessToken(simulator, 'app-only');
    const registered = await call(`${simulator.url}/webhooks/v1/registration`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ WebhookUrl: receiver.url, WebhookEvents: EVERY_EVENT }),
    });
    assert.equal(registered.status, 200);
  });
  afterEach(async () => {
    await simulator.stop();
    await receiver.stop();
  });

  it('when accept runs without a customer, then a new customer is listed and a signed acceptance naming it is delivered', async () => {
    const result = await simulator.controls.runScenario('accept');
    assert.deepEqual(result.delivery, { delivered: true, status: 200 });
    const [webhook] = await receiver.waitFor(1);
    assert.ok(webhook && isSignedBySimulator(webhook));
    assert.equal(webhook?.json.EventName, 'reseller-relationship-accepted-by-customer');
    assert.equal(webhook?.json.ResourceUri, `https://api.partnercenter.microsoft.com/v1/customers/${result.customer.id}`);
    const listed = await get(simulator, '/v1/customers', token);
    assert.ok((listed.json.items as { id: string }[]).some((item) => item.id === result.customer.id));
    const auditPath = new URL(webhook?.json.AuditUri as string).pathname;
    const audit = await get(simulator, auditPath, token);
    assert.equal(audit.status, 200, 'the AuditUri resolves in the simulator');
    assert.equal(audit.json.customerId, result.customer.id);
  });

  it('when accept names a new company, then it gets that name and a domain; an existing customer is refused', async () => {
    const result = await simulator.controls.runScenario('accept', 'Bergbau Schäfer GmbH');
    assert.equal(result.customer.companyName, 'Bergbau Schäfer GmbH');
    assert.equal(result.customer.domain, 'bergbauschaefergmbh.onmicrosoft.com');
    await assert.rejects(simulator.controls.runScenario('accept', 'contoso.onmicrosoft.com'), (error: unknown) => error instanceof ScenarioError && error.reason === 'not-applicable');
  });

  it('when accept-indirect runs, then the customer comes with the indirect reseller and the indirect event', async () => {
    const result = await simulator.controls.runScenario('accept-indirect', 'fresh-start.de');
    assert.equal(result.customer.companyName, 'Fresh-start GmbH');
    assert.equal(result.event.EventName, 'indirect-reseller-relationship-accepted-by-customer');
    const customer = await get(simulator, `/v1/customers/${result.customer.id}`, token);
    assert.ok(customer.json.associatedPartnerId);
  });

  it('when remove-admin runs, then the event names no customer, the DAP flag is off and only the audit log says who', async () => {
    const result = await simulator.controls.runScenario('remove-admin');
    assert.equal(result.customer.id, contoso.id, 'the default is the customer that still has DAP');
    const [webhook] = await receiver.waitFor(1);
    assert.equal(webhook?.json.EventName, 'dap-admin-relationship-terminated');
    assert.equal(webhook?.json.ResourceUri, null);
    assert.equal(webhook?.json.AuditUri, null);
    assert.ok(!webhook?.body.toString('utf8').includes(contoso.id));
    assert.equal((await get(simulator, `/v1/customers/${contoso.id}`, token)).json.allowDelegatedAccess, false);
    const range = `startDate=${new Date(Date.now() - 60_000).toISOString()}&endDate=${new Date(Date.now() + 60_000).toISOString()}`;
    const records = (await get(simulator, `/v1/auditrecords?${range}`, token)).json.items as { operationType: string; customerId: string }[];
    assert.deepEqual(records.map((record) => [record.operationType, record.customerId]), [['dap_admin_relationship_terminated', contoso.id]]);
  });

  it('when remove-admin-by-microsoft names a customer by domain, then ResourceUri is absent from the event', async () => {
    const result = await simulator.controls.runScenario('remove-admin-by-microsoft', 'fabrikam.com');
    assert.equal(result.customer.companyName, 'Fabrikam, Inc.');
    assert.equal('ResourceUri' in result.event, false);
    const [webhook] = await receiver.waitFor(1);
    assert.equal('ResourceUri' in (webhook?.json ?? {}), false);
  });

  it('when remove-admin names a customer without DAP, then it is refused and nothing is sent', async () => {
    await assert.rejects(simulator.controls.runScenario('remove-admin', 'Müller Maschinenbau'), /has no delegated admin rights/);
    assert.equal(receiver.received.length, 0);
  });

  it('when gdap-approve runs, then the pending relationship goes active with an end date and the approved event carries its id', async () => {
    const result = await simulator.controls.runScenario('gdap-approve');
    assert.equal(result.relationshipId, SEEDED_GDAP.approvalPending);
    const relationship = await get(simulator, `/v1.0/tenantRelationships/delegatedAdminRelationships/${SEEDED_GDAP.approvalPending}`, await graphToken(simulator));
    assert.equal(relationship.json.status, 'active');
    assert.ok(Date.parse(relationship.json.endDateTime as string) > Date.now() + 700 * 86_400_000);
    const [webhook] = await receiver.waitFor(1);
    assert.equal(webhook?.json.EventName, 'granular-admin-relationship-approved');
    assert.match(webhook?.json.ResourceUri as string, new RegExp(`/granularAdminRelationships/${SEEDED_GDAP.approvalPending}$`));
  });

  it('when gdap-approve names a customer without a pending request, then one is requested for them and approved', async () => {
    const result = await simulator.controls.runScenario('gdap-approve', 'Wide World Importers');
    const relationship = simulator.controls.gdapRelationships().find((candidate) => candidate.id === result.relationshipId);
    assert.equal(relationship?.customer.displayName, 'Wide World Importers');
    assert.equal(relationship?.status, 'active');
  });

  it('when gdap-expire runs, then the relationship ending soonest expires; gdap-terminate ends a named customer\'s', async () => {
    const expired = await simulator.controls.runScenario('gdap-expire');
    assert.equal(expired.relationshipId, SEEDED_GDAP.expiringSoon);
    assert.equal(expired.event.EventName, 'granular-admin-relationship-expired');
    const terminated = await simulator.controls.runScenario('gdap-terminate', 'Stadtwerke Musterstadt');
    assert.equal(terminated.relationshipId, SEEDED_GDAP.activeLongTerm);
    const statuses = Object.fromEntries(simulator.controls.gdapRelationships().map((relationship) => [relationship.id, relationship.status]));
    assert.equal(statuses[SEEDED_GDAP.expiringSoon], 'expired');
    assert.equal(statuses[SEEDED_GDAP.activeLongTerm], 'terminated');
    await assert.rejects(simulator.controls.runScenario('gdap-terminate', 'Stadtwerke Musterstadt'), /no active GDAP relationship/);
  });

  it('when the scenario or the customer is unknown, or a name is ambiguous, then a ScenarioError says which', async () => {
    await assert.rejects(simulator.controls.runScenario('explode'), (error: unknown) => error instanceof ScenarioError && error.reason === 'unknown-scenario');
    await assert.rejects(simulator.controls.runScenario('remove-admin', 'Nobody GmbH'), (error: unknown) => error instanceof ScenarioError && error.reason === 'customer-not-found');
    await assert.rejects(simulator.controls.runScenario('gdap-terminate', 'GmbH'), /matches several customers/);
  });

  it('when the bot refuses or nobody is registered, then the state still changes and the result says what happened', async () => {
    receiver.answer(401);
    const refused = await simulator.controls.runScenario('gdap-expire');
    assert.deepEqual(refused.delivery, { delivered: false, status: 401 });
    simulator.controls.reset();
    const unregistered = await simulator.controls.runScenario('accept');
    assert.deepEqual(unregistered.delivery, { delivered: false, reason: 'no webhook is registered' });
    assert.ok(simulator.controls.requestCount() === 0);
  });
});

async function graphToken(simulator: PartnerCenterSimulator): Promise<string> {
  const answer = await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: simulator.controls.currentRefreshToken(), scope: 'https://graph.microsoft.com/.default' });
  return answer.json.access_token as string;
}
