import assert from 'node:assert/strict';
import { toNextPageRequest } from '../../../../src/integrations/partner-center/next-page.ts';
import { MalformedResponseError } from '../../../../src/integrations/partner-center/call-errors.ts';
import { SAMPLE_CUSTOMERS, SAMPLE_INDIRECT_RESELLER_ID } from '../../../../src/simulator/seed.ts';
import { collect, partnerCenterRequests, startHarness, type Harness } from './harness.ts';

describe('Partner Center client: paging through customers', () => {
  let harness: Harness;
  afterEach(() => harness?.close());

  it('when there are 1,234 customers, then three pages of 500, 500 and 234 arrive with every continuation header forwarded', async () => {
    harness = await startHarness({ simulator: { seedCustomers: 1_234 - SAMPLE_CUSTOMERS.length } });
    const context = harness.context('de');
    const pages = await collect(harness.client.listCustomers(context));
    assert.deepEqual(pages.map((page) => page.length), [500, 500, 234]);
    assert.equal(new Set(pages.flat().map((customer) => customer.id)).size, 1_234);

    const requests = partnerCenterRequests(harness.simulator);
    assert.deepEqual(requests.map((request) => request.path), ['/v1/customers?size=500', '/v1/customers?size=500&seekOperation=Next', '/v1/customers?size=500&seekOperation=Next']);
    assert.equal(requests[0]?.headers['ms-continuationtoken'], undefined);
    assert.ok(requests[1]?.headers['ms-continuationtoken'] && requests[2]?.headers['ms-continuationtoken']);
    assert.notEqual(requests[1]?.headers['ms-continuationtoken'], requests[2]?.headers['ms-continuationtoken']);
    // A client that dropped the header would have been sent back to page 1: the simulator counts that.
    assert.equal(harness.simulator.controls.pageRestarts(), 0);
    assert.equal(new Set(requests.map((request) => request.headers['ms-requestid'])).size, 3);
    assert.ok(requests.every((request) => request.headers['ms-correlationid'] === context.correlationId && request.headers['x-locale'] === 'de-DE'));
  });

  it('when customers are listed, then company profile, relationship and indirect reseller are mapped', async () => {
    harness = await startHarness();
    const customers = (await collect(harness.client.listCustomers(harness.context()))).flat();
    assert.equal(customers.length, SAMPLE_CUSTOMERS.length);
    assert.deepEqual(customers[0], { id: '4b2a6e33-8791-4386-bd2b-0d55baf25039', companyName: 'Müller Maschinenbau GmbH', domain: 'mueller-maschinenbau.de', relationshipToPartner: 'reseller' });
    assert.deepEqual(customers.find((customer) => customer.domain === 'contoso.onmicrosoft.com')?.companyName, 'Contoso Ltd');
    assert.equal(customers.filter((customer) => customer.associatedPartnerId === SAMPLE_INDIRECT_RESELLER_ID).length, 2);
  });

  it('when a later page fails for good, then the pages already read were delivered and the error surfaces', async () => {
    harness = await startHarness({ simulator: { seedCustomers: 600 } });
    const seen: number[] = [];
    harness.simulator.controls.failNext(1, 404, '/v1/customers?size=500&seekOperation=Next');
    await assert.rejects(
      (async () => {
        for await (const page of harness.client.listCustomers(harness.context())) seen.push(page.length);
      })(),
      { code: 'PARTNER_CENTER.NOT_FOUND' },
    );
    assert.deepEqual(seen, [500]);
  });

  it('when 100,000 customers are listed, then 200 pages arrive quickly', async function () {
    this.timeout(60_000);
    harness = await startHarness({ simulator: { seedCustomers: 100_000 - SAMPLE_CUSTOMERS.length } });
    let count = 0;
    let pages = 0;
    const started = Date.now();
    for await (const page of harness.client.listCustomers(harness.context())) {
      count += page.length;
      pages += 1;
    }
    assert.equal(count, 100_000);
    assert.equal(pages, 200);
    assert.ok(Date.now() - started < 30_000);
  });
});

describe('following links.next', () => {
  it('when the next link is relative, then every header it names is sent along', () => {
    const request = toNextPageRequest({ uri: '/v1/customers?size=500&seekOperation=Next', headers: [{ key: 'MS-ContinuationToken', value: 'abc' }, { key: 'X-Extra', value: '1' }] }, new Set());
    assert.deepEqual(request, { path: '/v1/customers', pathAndQuery: '/v1/customers?size=500&seekOperation=Next', headers: { 'MS-ContinuationToken': 'abc', 'X-Extra': '1' } });
  });

  it('when the next link leaves out the version, then it is resolved under /v1', () => {
    assert.equal(toNextPageRequest({ uri: '/customers?seekOperation=Next', headers: [] }, new Set()).pathAndQuery, '/v1/customers?seekOperation=Next');
  });

  it('when the next link points to another host, then it is refused', () => {
    for (const uri of ['https://evil.example/v1/customers', '//evil.example/v1/customers', 'customers?x=1', '/\\evil.example']) {
      assert.throws(() => toNextPageRequest({ uri, headers: [] }, new Set()), MalformedResponseError, uri);
    }
  });

  it('when a next link names Authorization or an unsafe header value, then the header is ignored or the link refused', () => {
    const request = toNextPageRequest({ uri: '/v1/customers', headers: [{ key: 'Authorization', value: 'Bearer stolen' }] }, new Set());
    assert.deepEqual(request.headers, {});
    assert.throws(() => toNextPageRequest({ uri: '/v1/customers', headers: [{ key: 'MS-ContinuationToken', value: 'a\r\nHost: evil' }] }, new Set()), MalformedResponseError);
  });

  it('when the same continuation comes back twice, then the second is refused instead of looping forever', () => {
    const seen = new Set<string>();
    const next = { uri: '/v1/customers?seekOperation=Next', headers: [{ key: 'MS-ContinuationToken', value: 'same' }] };
    toNextPageRequest(next, seen);
    assert.throws(() => toNextPageRequest(next, seen), /repeats a page/);
  });
});
