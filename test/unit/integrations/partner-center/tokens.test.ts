import assert from 'node:assert/strict';
import { createRefreshTokenStore, REFRESH_TOKEN_KEY, REFRESH_TOKEN_NAMESPACE } from '../../../../src/integrations/partner-center/refresh-token.store.ts';
import { SIMULATOR_REFRESH_TOKEN } from '../../../../src/simulator/defaults.ts';
import { collect, expectAppError, partnerCenterRequests, startHarness, tokenRequests, type Harness } from './harness.ts';

describe('Partner Center client: tokens and consent', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  describe('with a consented refresh token', () => {
    beforeEach(async () => {
      harness = await startHarness({ simulator: { refreshTokenGraceMs: 0 } });
    });

    it('when Partner Center answers 401 once, then the token is refreshed once and the retry succeeds with the same MS-RequestId', async () => {
      await harness.client.listIndirectProviders(harness.context());
      harness.simulator.controls.failNext(1, 401);
      await harness.client.listIndirectProviders(harness.context());
      assert.equal(tokenRequests(harness.simulator).length, 2);
      const [, second, third] = partnerCenterRequests(harness.simulator);
      assert.equal(second?.headers['ms-requestid'], third?.headers['ms-requestid']);
      assert.notEqual(second?.headers.authorization, third?.headers.authorization);
    });

    it('when Partner Center answers 401 again after the refresh, then the call fails UNAUTHORIZED after exactly two requests', async () => {
      harness.simulator.controls.failNext(5, 401);
      await expectAppError(harness.client.listIndirectProviders(harness.context()), 'PARTNER_CENTER.UNAUTHORIZED');
      assert.equal(partnerCenterRequests(harness.simulator).length, 2);
    });

    it('when the refresh token has expired, then the link request fails CONSENT_EXPIRED', async () => {
      harness.simulator.controls.expireRefreshTokens();
      const context = harness.context();
      const error = await expectAppError(harness.client.getRelationshipRequestUrl(context), 'PARTNER_CENTER.CONSENT_EXPIRED');
      assert.equal(error.params.correlationId, context.correlationId);
      assert.equal(partnerCenterRequests(harness.simulator).length, 0);
    });

    it('when the refresh token has expired, then customers are still read with App-only credentials', async () => {
      harness.simulator.controls.expireRefreshTokens();
      const pages = await collect(harness.client.listCustomers(harness.context()));
      assert.equal(pages.flat().length, 12);
      assert.deepEqual(tokenRequests(harness.simulator).map((request) => request.grantType), ['refresh_token', 'client_credentials']);
    });

    it('when the consent has expired, then later reads go App-only at once instead of asking Entra again per page', async () => {
      harness.simulator.controls.expireRefreshTokens();
      await collect(harness.client.listCustomers(harness.context()));
      await harness.client.listIndirectProviders(harness.context());
      await collect(harness.client.listCustomers(harness.context()));
      assert.deepEqual(tokenRequests(harness.simulator).map((request) => request.grantType), ['refresh_token', 'client_credentials']);
      assert.equal(harness.captured.lines.filter((line) => line.code === 'PARTNER_CENTER.CONSENT_EXPIRED' && line.level === 40).length, 1);
    });

    it('when a new consent is stored after expiry, then reads use App+User again', async () => {
      harness.simulator.controls.expireRefreshTokens();
      await harness.client.listIndirectProviders(harness.context());
      await harness.refreshTokens.set(harness.simulator.controls.issueRefreshToken());
      await harness.client.listIndirectProviders(harness.context());
      assert.deepEqual(tokenRequests(harness.simulator).map((request) => request.grantType), ['refresh_token', 'client_credentials', 'refresh_token']);
    });

    it('when Entra rotates the refresh token, then the new one is stored encrypted and the raw value never holds a token', async () => {
      await harness.client.getRelationshipRequestUrl(harness.context());
      const rotated = harness.simulator.controls.currentRefreshToken();
      assert.notEqual(rotated, SIMULATOR_REFRESH_TOKEN);
      assert.equal(await harness.refreshTokens.get(), rotated);
      const raw = JSON.stringify(await harness.store.namespace(REFRESH_TOKEN_NAMESPACE).get(REFRESH_TOKEN_KEY));
      assert.match(raw, /"v":1/);
      assert.ok(!raw.includes(rotated) && !raw.includes(SIMULATOR_REFRESH_TOKEN));
    });

    it('when the bot restarts after a rotation, then the stored token is used although the configured one no longer works', async () => {
      await harness.client.getRelationshipRequestUrl(harness.context());
      const restarted = harness.createClient();
      await restarted.getRelationshipRequestUrl(harness.context());
      assert.deepEqual(tokenRequests(harness.simulator).map((request) => request.grantType), ['refresh_token', 'refresh_token']);
    });

    it('when the rotated refresh token cannot be stored, then it is kept in memory, used for the next refresh, and the log says why without it', async () => {
      const unkeyed = createRefreshTokenStore({ store: harness.store, initial: SIMULATOR_REFRESH_TOKEN });
      const client = harness.createClient({ refreshTokens: unkeyed });
      await client.getRelationshipRequestUrl(harness.context());
      const rotated = harness.simulator.controls.currentRefreshToken();
      assert.equal(harness.captured.lines.find((line) => line.code === 'CONFIG.SECRETS_KEY_MISSING')?.level, 50);
      assert.ok(!harness.captured.text().includes(rotated));
      // The configured token is dead now (no grace here): only the in-memory rotated one can refresh.
      harness.simulator.controls.failNext(1, 401);
      await client.getRelationshipRequestUrl(harness.context());
      assert.equal(await unkeyed.get(), SIMULATOR_REFRESH_TOKEN);
      assert.deepEqual(tokenRequests(harness.simulator).map((request) => request.grantType), ['refresh_token', 'refresh_token']);
    });

    it('when many calls start at once with no cached token, then one token request serves them all', async () => {
      await Promise.all(Array.from({ length: 8 }, () => harness.client.getRelationshipRequestUrl(harness.context())));
      assert.equal(tokenRequests(harness.simulator).length, 1);
      assert.equal(partnerCenterRequests(harness.simulator).length, 8);
    });

    it('when the client secret is wrong, then the call fails APP_CREDENTIALS_INVALID without a retry', async () => {
      const client = harness.createClient({ clientSecret: 'not-the-secret' });
      await expectAppError(client.getRelationshipRequestUrl(harness.context()), 'PARTNER_CENTER.APP_CREDENTIALS_INVALID');
      assert.equal(tokenRequests(harness.simulator).length, 1);
    });
  });

  describe('with tokens that live ten minutes', () => {
    it('when less than two minutes of a token remain, then a new one is fetched; before that the cached one is reused', async () => {
      let offset = 0;
      const clock = { now: () => Date.now() + offset };
      harness = await startHarness({ clock, simulator: { accessTokenLifetimeSeconds: 600 } });
      await harness.client.getRelationshipRequestUrl(harness.context());
      offset = 470_000;
      await harness.client.getRelationshipRequestUrl(harness.context());
      assert.equal(tokenRequests(harness.simulator).length, 1);
      offset = 490_000;
      await harness.client.getRelationshipRequestUrl(harness.context());
      assert.equal(tokenRequests(harness.simulator).length, 2);
    });
  });

  describe('without any refresh token', () => {
    beforeEach(async () => {
      harness = await startHarness({ initialRefreshToken: null });
    });

    it('when the link is requested, then it fails CONSENT_MISSING without asking Entra', async () => {
      await expectAppError(harness.client.getRelationshipRequestUrl(harness.context()), 'PARTNER_CENTER.CONSENT_MISSING');
      assert.equal(harness.simulator.controls.requestCount(), 0);
    });

    it('when customers, one customer and providers are read, then App-only credentials are used and they work', async () => {
      const customers = (await collect(harness.client.listCustomers(harness.context()))).flat();
      const first = customers[0];
      assert.ok(first);
      assert.equal((await harness.client.getCustomer(first.id, harness.context())).id, first.id);
      assert.equal((await harness.client.listIndirectProviders(harness.context())).length, 2);
      assert.deepEqual(tokenRequests(harness.simulator).map((request) => request.grantType), ['client_credentials']);
    });
  });
});
