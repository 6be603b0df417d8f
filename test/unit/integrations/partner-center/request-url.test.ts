import assert from 'node:assert/strict';
import { SIMULATOR_PARTNER_TENANT_ID } from '../../../../src/simulator/defaults.ts';
import { SAMPLE_INDIRECT_PROVIDERS } from '../../../../src/simulator/seed.ts';
import { expectAppError, partnerCenterRequests, startHarness, type Harness } from './harness.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The documented example, character for character (docs: partner-center.md section 4).
const DOCUMENTED_URL =
  'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=3b33e682-00c3-41ee-9dd2-a548adf56438&msppId=0&DAP=false#/BillingAccounts/partner-invitation';

describe('Partner Center client: the relationship request link and the headers', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('when the link is requested, then it is returned byte for byte as Partner Center sent it', async () => {
    assert.equal(SIMULATOR_PARTNER_TENANT_ID, '3b33e682-00c3-41ee-9dd2-a548adf56438');
    const url = await harness.client.getRelationshipRequestUrl(harness.context());
    assert.equal(url, DOCUMENTED_URL);
  });

  it('when a call is made in German, then every documented header is sent with X-Locale de-DE', async () => {
    const context = harness.context('de');
    await harness.client.getRelationshipRequestUrl(context);
    const [request] = partnerCenterRequests(harness.simulator);
    assert.ok(request);
    assert.match(request.headers.authorization ?? '', /^Bearer \S{20,}$/);
    assert.equal(request.headers.accept, 'application/json');
    assert.match(request.headers['ms-requestid'] ?? '', GUID);
    assert.equal(request.headers['ms-correlationid'], context.correlationId);
    assert.equal(request.headers['ms-contract-version'], 'v1');
    assert.equal(request.headers['x-locale'], 'de-DE');
  });

  it('when a call is made in English, then X-Locale is en-US', async () => {
    await harness.client.listIndirectProviders(harness.context('en'));
    assert.equal(partnerCenterRequests(harness.simulator)[0]?.headers['x-locale'], 'en-US');
  });

  it('when two calls are made, then each gets its own MS-RequestId', async () => {
    const context = harness.context();
    await harness.client.getRelationshipRequestUrl(context);
    await harness.client.getRelationshipRequestUrl(context);
    const ids = partnerCenterRequests(harness.simulator).map((request) => request.headers['ms-requestid']);
    assert.equal(ids.length, 2);
    assert.notEqual(ids[0], ids[1]);
  });

  it('when indirect providers are listed, then id, name, mpnId and state are mapped', async () => {
    const providers = await harness.client.listIndirectProviders(harness.context());
    assert.deepEqual(
      providers,
      SAMPLE_INDIRECT_PROVIDERS.map((provider) => ({ id: provider.id, name: provider.name, mpnId: provider.mpnId, state: 'Active' })),
    );
    assert.equal(partnerCenterRequests(harness.simulator)[0]?.path, '/v1/relationships?relationship_type=IsIndirectResellerOf');
  });

  it('when the answer is not JSON, then the call fails MALFORMED_RESPONSE', async () => {
    harness.simulator.controls.malformNext(1, 'not-json');
    await expectAppError(harness.client.getRelationshipRequestUrl(harness.context()), 'PARTNER_CENTER.MALFORMED_RESPONSE');
  });

  it('when the answer has no url, then the call fails MALFORMED_RESPONSE', async () => {
    harness.simulator.controls.malformNext(1, 'wrong-shape');
    await expectAppError(harness.client.getRelationshipRequestUrl(harness.context()), 'PARTNER_CENTER.MALFORMED_RESPONSE');
  });

  it('when the link is not https, then the call fails MALFORMED_RESPONSE instead of showing it', async () => {
    harness.simulator.controls.malformNext(1, 'insecure-url');
    const error = await expectAppError(harness.client.getRelationshipRequestUrl(harness.context()), 'PARTNER_CENTER.MALFORMED_RESPONSE');
    assert.doesNotMatch(error.message, /admin\.microsoft\.com/);
  });

  it('when a list answer has the wrong shape, then the call fails MALFORMED_RESPONSE', async () => {
    harness.simulator.controls.malformNext(1, 'wrong-shape');
    await expectAppError(harness.client.listIndirectProviders(harness.context()), 'PARTNER_CENTER.MALFORMED_RESPONSE');
  });
});
