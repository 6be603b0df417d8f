import assert from 'node:assert/strict';
import { SAMPLE_CUSTOMERS } from '../../../../src/simulator/seed.ts';
import { expectAppError, partnerCenterRequests, startHarness, type Harness } from './harness.ts';

const KNOWN_CUSTOMER = SAMPLE_CUSTOMERS[0]?.id ?? '';

function requestIds(harness: Harness): string[] {
  return partnerCenterRequests(harness.simulator).map((request) => request.headers['ms-requestid'] ?? '');
}

describe('Partner Center client: retries, budget and refusals', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  describe('with the default test budget', () => {
    beforeEach(async () => {
      harness = await startHarness();
    });

    it('when Partner Center throttles with Retry-After: 1, then the call waits about a second, retries with the same MS-RequestId and succeeds', async () => {
      harness.simulator.controls.throttleNext(1, 1);
      const started = Date.now();
      const customer = await harness.client.getCustomer(KNOWN_CUSTOMER, harness.context());
      const elapsed = Date.now() - started;
      assert.equal(customer.id, KNOWN_CUSTOMER);
      assert.ok(elapsed >= 950, `waited only ${elapsed} ms`);
      const ids = requestIds(harness);
      assert.equal(ids.length, 2);
      assert.equal(ids[0], ids[1]);
    });

    it('when Retry-After is longer than the remaining budget, then the call fails THROTTLED at once with the seconds', async () => {
      harness.simulator.controls.throttleNext(1, 60);
      const started = Date.now();
      const error = await expectAppError(harness.client.getCustomer(KNOWN_CUSTOMER, harness.context()), 'PARTNER_CENTER.THROTTLED');
      assert.equal(error.params.seconds, 60);
      assert.ok(Date.now() - started < 1_000);
      assert.equal(partnerCenterRequests(harness.simulator).length, 1);
    });

    it('when Partner Center answers 500 twice, then the third attempt succeeds and all three carry the same MS-RequestId', async () => {
      harness.simulator.controls.failNext(2, 500);
      await harness.client.listIndirectProviders(harness.context());
      const ids = requestIds(harness);
      assert.equal(ids.length, 3);
      assert.equal(new Set(ids).size, 1);
    });

    it('when the connection is reset, then the call is retried and succeeds', async () => {
      harness.simulator.controls.dropNext(1);
      const providers = await harness.client.listIndirectProviders(harness.context());
      assert.equal(providers.length, 2);
      assert.equal(partnerCenterRequests(harness.simulator).length, 2);
    });

    it('when Partner Center refuses with 403, then the call fails FORBIDDEN without a retry', async () => {
      harness.simulator.controls.failNext(5, 403);
      const context = harness.context();
      const error = await expectAppError(harness.client.getRelationshipRequestUrl(context), 'PARTNER_CENTER.FORBIDDEN');
      assert.equal(partnerCenterRequests(harness.simulator).length, 1);
      assert.equal(error.params.correlationId, context.correlationId);
      assert.ok(error.cause, 'the original failure is kept as cause');
    });

    it('when a customer does not exist, then the call fails NOT_FOUND without a retry', async () => {
      await expectAppError(harness.client.getCustomer('00000000-0000-4000-8000-000000000000', harness.context()), 'PARTNER_CENTER.NOT_FOUND');
      assert.equal(partnerCenterRequests(harness.simulator).length, 1);
    });

    it('when Partner Center answers 400, then the call fails BAD_REQUEST without a retry', async () => {
      harness.simulator.controls.failNext(5, 400);
      await expectAppError(harness.client.listIndirectProviders(harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
      assert.equal(partnerCenterRequests(harness.simulator).length, 1);
    });

    it('when the customer id is not a GUID, then the call fails BAD_REQUEST without any request', async () => {
      await expectAppError(harness.client.getCustomer('../relationshiprequests', harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
      assert.equal(harness.simulator.controls.requestCount(), 0);
    });

    it('when a customer is read, then the company profile and relationship are mapped', async () => {
      const customer = await harness.client.getCustomer(KNOWN_CUSTOMER.toUpperCase(), harness.context('de'));
      assert.deepEqual(customer, { id: KNOWN_CUSTOMER, companyName: 'Müller Maschinenbau GmbH', domain: 'mueller-maschinenbau.de', relationshipToPartner: 'reseller' });
    });
  });

  describe('with a one-second budget', () => {
    beforeEach(async () => {
      harness = await startHarness({ client: { timeoutMs: 200, retry: { maxAttempts: 50, baseDelayMs: 20, maxDelayMs: 100, budgetMs: 1_000 } } });
    });

    it('when Partner Center answers 500 forever, then the call fails UNAVAILABLE within the budget after several attempts', async () => {
      harness.simulator.controls.failNext(1_000, 500);
      const started = Date.now();
      const error = await expectAppError(harness.client.listIndirectProviders(harness.context()), 'PARTNER_CENTER.UNAVAILABLE');
      const elapsed = Date.now() - started;
      assert.ok(elapsed <= 1_150, `took ${elapsed} ms`);
      assert.ok(partnerCenterRequests(harness.simulator).length >= 3);
      assert.equal(error.params.status, 500);
      assert.equal(new Set(requestIds(harness)).size, 1);
    });

    it('when Partner Center never answers in time, then the call fails TIMEOUT within the budget', async () => {
      harness.simulator.controls.delayNext(1_000, 1_500);
      const started = Date.now();
      await expectAppError(harness.client.listIndirectProviders(harness.context()), 'PARTNER_CENTER.TIMEOUT');
      assert.ok(Date.now() - started <= 1_150);
      assert.ok(partnerCenterRequests(harness.simulator).length >= 2, 'timeouts are retried');
    });

    it('when one answer is too slow, then the retry with the same MS-RequestId succeeds', async () => {
      harness.simulator.controls.delayNext(1, 600);
      await harness.client.listIndirectProviders(harness.context());
      const ids = requestIds(harness);
      assert.equal(ids.length, 2);
      assert.equal(ids[0], ids[1]);
    });
  });

  describe('with a circuit breaker of three failures', () => {
    beforeEach(async () => {
      harness = await startHarness({ client: { retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, budgetMs: 2_000 }, circuit: { consecutiveFailures: 3, halfOpenAfterMs: 300 } } });
    });

    it('when three calls in a row fail with 503, then the circuit opens and the next call fails UNAVAILABLE without a request', async () => {
      harness.simulator.controls.failNext(3, 503);
      for (let call = 0; call < 3; call += 1) await expectAppError(harness.client.listIndirectProviders(harness.context()), 'PARTNER_CENTER.UNAVAILABLE');
      assert.equal(partnerCenterRequests(harness.simulator).length, 3);
      const error = await expectAppError(harness.client.listIndirectProviders(harness.context()), 'PARTNER_CENTER.UNAVAILABLE');
      assert.match(error.message, /circuit open/);
      assert.equal(partnerCenterRequests(harness.simulator).length, 3);
    });

    it('when the circuit was open and the half-open wait passed, then a successful call closes it again', async () => {
      harness.simulator.controls.failNext(3, 503);
      for (let call = 0; call < 3; call += 1) await expectAppError(harness.client.listIndirectProviders(harness.context()), 'PARTNER_CENTER.UNAVAILABLE');
      await new Promise((resolve) => setTimeout(resolve, 350));
      assert.equal((await harness.client.listIndirectProviders(harness.context())).length, 2);
      assert.equal((await harness.client.listIndirectProviders(harness.context())).length, 2);
    });

    it('when calls fail with 404, then the circuit stays closed', async () => {
      for (let call = 0; call < 4; call += 1) await expectAppError(harness.client.getCustomer('00000000-0000-4000-8000-000000000000', harness.context()), 'PARTNER_CENTER.NOT_FOUND');
      assert.equal((await harness.client.listIndirectProviders(harness.context())).length, 2);
    });
  });
});
