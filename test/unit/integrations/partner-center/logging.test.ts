import assert from 'node:assert/strict';
import { createRelationshipRequestUrl } from '../../../../src/simulator/customers.routes.ts';
import { SIMULATOR_PARTNER_TENANT_ID } from '../../../../src/simulator/defaults.ts';
import { collect, expectAppError, startHarness, type Harness } from './harness.ts';

const SENTINEL_SECRET = 'sentinel-client-secret-5b1f0c';
const SENTINEL_REFRESH_TOKEN = 'sentinel-refresh-token-9d27aa';
const FAILURE_MESSAGE = 'Partner Center call failed';

describe('Partner Center client: what it logs', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({
      simulator: { clientSecret: SENTINEL_SECRET, refreshToken: SENTINEL_REFRESH_TOKEN, refreshTokenGraceMs: 60_000 },
      client: { clientSecret: SENTINEL_SECRET },
      initialRefreshToken: SENTINEL_REFRESH_TOKEN,
    });
  });
  afterEach(() => harness.close());

  function failureLines(correlationId: string) {
    return harness.captured.lines.filter((line) => line.msg === FAILURE_MESSAGE && line.correlationId === correlationId);
  }

  it('when calls succeed, retry and fail in every way, then the log never holds a secret, a token or the link', async () => {
    const { client, simulator } = harness;
    const refreshTokens = [SENTINEL_REFRESH_TOKEN];
    await client.getRelationshipRequestUrl(harness.context());
    refreshTokens.push(simulator.controls.currentRefreshToken());
    simulator.controls.failNext(2, 500);
    await client.listIndirectProviders(harness.context());
    simulator.controls.failNext(2, 401);
    await expectAppError(client.listIndirectProviders(harness.context()), 'PARTNER_CENTER.UNAUTHORIZED');
    refreshTokens.push(simulator.controls.currentRefreshToken());
    simulator.controls.failNext(1, 403);
    await expectAppError(client.getRelationshipRequestUrl(harness.context()), 'PARTNER_CENTER.FORBIDDEN');
    simulator.controls.malformNext(1, 'insecure-url');
    await expectAppError(client.getRelationshipRequestUrl(harness.context()), 'PARTNER_CENTER.MALFORMED_RESPONSE');
    await expectAppError(harness.createClient({ clientSecret: `${SENTINEL_SECRET}-wrong` }).getRelationshipRequestUrl(harness.context()), 'PARTNER_CENTER.APP_CREDENTIALS_INVALID');
    simulator.controls.expireRefreshTokens();
    await expectAppError(harness.createClient().getRelationshipRequestUrl(harness.context()), 'PARTNER_CENTER.CONSENT_EXPIRED');
    await collect(harness.createClient().listCustomers(harness.context()));

    const text = harness.captured.text();
    const accessTokens = simulator.controls.requests.map((request) => request.headers.authorization?.replace('Bearer ', '')).filter((token): token is string => !!token);
    assert.ok(accessTokens.length >= 5);
    for (const secret of [SENTINEL_SECRET, ...refreshTokens, ...accessTokens]) assert.ok(!text.includes(secret), `the log holds ${secret.slice(0, 12)}…`);
    assert.ok(!text.includes(createRelationshipRequestUrl(SIMULATOR_PARTNER_TENANT_ID)));
    assert.ok(!text.includes('admin.microsoft.com'));
    assert.ok(!text.includes('Simulated failure'), 'response bodies stay out of the log');
    assert.ok(harness.captured.lines.some((line) => line.msg === 'retrying Partner Center call'), 'debug retries were logged (so the check above saw them)');
  });

  it('when a call fails, then exactly one warning names the correlation id, request id, status and path without query', async () => {
    harness.simulator.controls.failNext(1, 403);
    const context = harness.context();
    await expectAppError(harness.client.listIndirectProviders(context), 'PARTNER_CENTER.FORBIDDEN');
    const lines = failureLines(context.correlationId);
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line?.level, 40);
    assert.equal(line?.status, 403);
    assert.equal(line?.path, '/v1/relationships');
    assert.equal(line?.code, 'PARTNER_CENTER.FORBIDDEN');
    assert.equal(line?.requestId, harness.simulator.controls.requests.at(-1)?.headers['ms-requestid']);
  });

  it('when a call succeeds after retries, then no warning is logged', async () => {
    harness.simulator.controls.failNext(2, 503);
    const context = harness.context();
    await harness.client.listIndirectProviders(context);
    assert.equal(failureLines(context.correlationId).length, 0);
  });
});
