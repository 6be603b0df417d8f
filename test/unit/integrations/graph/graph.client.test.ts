import assert from 'node:assert/strict';
import { toGraphNextRequest } from '../../../../src/integrations/graph/graph-next-link.ts';
import { MalformedResponseError } from '../../../../src/integrations/partner-center/call-errors.ts';
import { SEEDED_GDAP } from '../../../../src/simulator/gdap.ts';
import { SAMPLE_CUSTOMERS } from '../../../../src/simulator/seed.ts';
import { collect, expectAppError } from '../partner-center/harness.ts';
import { graphRequests, startMicrosoftHarness, type MicrosoftHarness } from '../microsoft-harness.ts';

const COLLECTION = '/v1.0/tenantRelationships/delegatedAdminRelationships';

describe('Graph client: GDAP relationships', () => {
  let harness: MicrosoftHarness;
  afterEach(() => harness?.close());

  it('when relationships are listed, then each is mapped from Graph with its customer, roles and dates', async () => {
    harness = await startMicrosoftHarness();
    const relationships = (await collect(harness.clients.graph.listGdapRelationships(harness.context()))).flat();
    assert.equal(relationships.length, 5);
    const pending = relationships.find((relationship) => relationship.id === SEEDED_GDAP.approvalPending);
    assert.equal(pending?.status, 'approvalPending');
    assert.deepEqual(pending?.customer, { tenantId: SAMPLE_CUSTOMERS[3]!.id, displayName: SAMPLE_CUSTOMERS[3]!.companyName });
    assert.equal(pending?.activatedDateTime, undefined);
    const expiring = relationships.find((relationship) => relationship.id === SEEDED_GDAP.expiringSoon);
    assert.equal(expiring?.status, 'active');
    const daysLeft = (Date.parse(expiring?.endDateTime ?? '') - Date.now()) / 86_400_000;
    assert.ok(daysLeft > 0 && daysLeft <= 14, `ends in ${daysLeft} days`);
    assert.deepEqual(expiring?.roles, ['f2ef992c-3afb-46b9-b7cf-a126ee74c451', '729827e3-9c14-49f7-bb1b-9608f156bbb8']);
  });

  it('when there are more relationships than one page holds, then @odata.nextLink is followed to the end with a Graph App+User token', async () => {
    harness = await startMicrosoftHarness();
    for (let index = 0; index < 350; index += 1) {
      harness.simulator.controls.addGdapRelationship({ customer: { tenantId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, displayName: `Customer ${index}` } });
    }
    const pages = await collect(harness.clients.graph.listGdapRelationships(harness.context()));
    assert.deepEqual(pages.map((page) => page.length), [300, 55]);
    assert.equal(new Set(pages.flat().map((relationship) => relationship.id)).size, 355);
    const requests = graphRequests(harness.simulator);
    assert.equal(requests[0]?.path, `${COLLECTION}?$top=300`);
    assert.match(requests[1]?.path ?? '', /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\?\$top=300&\$skiptoken=/);
    const tokenRequests = harness.simulator.controls.requests.filter((request) => request.grantType);
    assert.deepEqual(tokenRequests.map((request) => request.grantType), ['refresh_token'], 'one App+User token for the Graph scope serves both pages');
  });

  it('when Graph throttles, then the call waits Retry-After and retries with the same client-request-id', async () => {
    harness = await startMicrosoftHarness();
    harness.simulator.controls.throttleNext(1, 1, '/v1.0/');
    const started = Date.now();
    const relationship = await harness.clients.graph.getGdapRelationship(SEEDED_GDAP.active, harness.context());
    assert.equal(relationship.status, 'active');
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    const [first, second] = graphRequests(harness.simulator);
    assert.ok(first?.headers['client-request-id']);
    assert.equal(first?.headers['client-request-id'], second?.headers['client-request-id']);
  });

  it('when a relationship does not exist, then NOT_FOUND with one warning naming the correlation id', async () => {
    harness = await startMicrosoftHarness();
    const context = harness.context();
    await expectAppError(harness.clients.graph.getGdapRelationship(`${SEEDED_GDAP.active.slice(0, -1)}0`, context), 'PARTNER_CENTER.NOT_FOUND');
    const warnings = harness.captured.lines.filter((line) => line.msg === 'Microsoft Graph call failed' && line.correlationId === context.correlationId);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.path, `${COLLECTION}/{id}`);
  });

  it('when the id is not {guid}-{guid}, then BAD_REQUEST and nothing is sent', async () => {
    harness = await startMicrosoftHarness();
    for (const id of ['../customers', 'abc', `${SEEDED_GDAP.active}/accessAssignments`]) {
      await expectAppError(harness.clients.graph.getGdapRelationship(id, harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
    }
    assert.equal(graphRequests(harness.simulator).length, 0);
  });

  it('when Graph fails for good, then UNAVAILABLE and the log holds no token', async () => {
    harness = await startMicrosoftHarness();
    harness.simulator.controls.failNext(10, 503, '/v1.0/');
    await expectAppError(collect(harness.clients.graph.listGdapRelationships(harness.context())), 'PARTNER_CENTER.UNAVAILABLE');
    const tokens = graphRequests(harness.simulator).map((request) => request.headers.authorization?.replace('Bearer ', '') ?? '');
    assert.ok(tokens.length >= 2);
    for (const token of tokens) assert.ok(token && !harness.captured.text().includes(token));
  });

  it('when Graph answers with a status it does not document, then the page is refused rather than half read', async () => {
    harness = await startMicrosoftHarness();
    harness.simulator.controls.updateGdapRelationship(SEEDED_GDAP.active, { status: 'paused' as never });
    await expectAppError(collect(harness.clients.graph.listGdapRelationships(harness.context())), 'PARTNER_CENTER.MALFORMED_RESPONSE');
  });
});

describe('following @odata.nextLink', () => {
  const base = 'https://graph.microsoft.com';

  it('when the link stays on the collection, then its query is kept and the path is relative', () => {
    const request = toGraphNextRequest(`${base}${COLLECTION}?$top=300&$skiptoken=abc`, base, COLLECTION, new Set());
    assert.deepEqual(request, { path: COLLECTION, pathAndQuery: `${COLLECTION}?$top=300&$skiptoken=abc`, headers: {} });
  });

  it('when the link leaves the Graph host, names another path, carries userinfo or repeats, then it is refused', () => {
    const seen = new Set([`${COLLECTION}?$skiptoken=1`]);
    for (const link of [
      `https://evil.example${COLLECTION}?$skiptoken=2`,
      `http://graph.microsoft.com${COLLECTION}?$skiptoken=2`,
      `https://user:pw@graph.microsoft.com${COLLECTION}?$skiptoken=2`,
      `${base}/v1.0/users?$skiptoken=2`,
      `${base}${COLLECTION}/../../users`,
      `${base}${COLLECTION}?$skiptoken=1`,
      'not a url',
    ]) {
      assert.throws(() => toGraphNextRequest(link, base, COLLECTION, seen), MalformedResponseError, link);
    }
  });
});
