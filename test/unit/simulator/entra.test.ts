import assert from 'node:assert/strict';
import { SIMULATOR_REFRESH_TOKEN } from '../../../src/simulator/defaults.ts';
import { createPartnerCenterSimulator, type PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';
import { requestToken } from './sim-client.ts';

describe('simulator: Entra token endpoint', () => {
  let simulator: PartnerCenterSimulator;
  let offset = 0;
  beforeEach(async () => {
    offset = 0;
    simulator = createPartnerCenterSimulator({ clock: { now: () => Date.now() + offset }, refreshTokenGraceMs: 10_000 });
    await simulator.start();
  });
  afterEach(() => simulator.stop());

  it('when client credentials are right, then an App-only bearer token without a refresh token is issued', async () => {
    const answer = await requestToken(simulator, { grant_type: 'client_credentials' });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.token_type, 'Bearer');
    assert.equal(answer.json.expires_in, 3600);
    assert.equal(typeof answer.json.access_token, 'string');
    assert.equal(answer.json.refresh_token, undefined);
  });

  it('when a refresh token is used, then a new one is issued each time (rotation)', async () => {
    const first = await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: SIMULATOR_REFRESH_TOKEN });
    const second = await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token as string });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.notEqual(first.json.refresh_token, SIMULATOR_REFRESH_TOKEN);
    assert.notEqual(second.json.refresh_token, first.json.refresh_token);
    assert.equal(simulator.controls.currentRefreshToken(), second.json.refresh_token);
  });

  it('when a rotated-away refresh token is used within the grace period, then it still works; after it, invalid_grant', async () => {
    await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: SIMULATOR_REFRESH_TOKEN });
    assert.equal((await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: SIMULATOR_REFRESH_TOKEN })).status, 200);
    offset = 11_000;
    const late = await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: SIMULATOR_REFRESH_TOKEN });
    assert.equal(late.status, 400);
    assert.equal(late.json.error, 'invalid_grant');
  });

  it('when refresh tokens were expired, then Entra answers invalid_grant with AADSTS700082 in its usual shape', async () => {
    simulator.controls.expireRefreshTokens();
    const answer = await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: SIMULATOR_REFRESH_TOKEN });
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error, 'invalid_grant');
    assert.match(answer.json.error_description as string, /^AADSTS700082: .*\r\nTrace ID: .*\r\nCorrelation ID: /s);
    assert.deepEqual(answer.json.error_codes, [700082]);
    for (const field of ['timestamp', 'trace_id', 'correlation_id', 'error_uri']) assert.equal(typeof answer.json[field], 'string');
  });

  it('when a new consent is simulated after expiry, then its refresh token works', async () => {
    simulator.controls.expireRefreshTokens();
    const fresh = simulator.controls.issueRefreshToken();
    assert.equal((await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: fresh })).status, 200);
  });

  it('when the refresh token is unknown, then invalid_grant', async () => {
    const answer = await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: 'made-up' });
    assert.equal(answer.json.error, 'invalid_grant');
  });

  it('when the client secret is wrong, then 401 invalid_client (AADSTS7000215)', async () => {
    const answer = await requestToken(simulator, { grant_type: 'client_credentials', client_secret: 'wrong' });
    assert.equal(answer.status, 401);
    assert.equal(answer.json.error, 'invalid_client');
    assert.deepEqual(answer.json.error_codes, [7000215]);
  });

  it('when the client id, tenant, scope or grant is wrong, then the matching Entra error', async () => {
    assert.equal((await requestToken(simulator, { grant_type: 'client_credentials', client_id: 'other' })).json.error, 'unauthorized_client');
    assert.equal((await requestToken(simulator, { grant_type: 'client_credentials' }, 'contoso.onmicrosoft.com')).json.error, 'invalid_request');
    assert.equal((await requestToken(simulator, { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' })).json.error, 'invalid_scope');
    assert.equal((await requestToken(simulator, { grant_type: 'password' })).json.error, 'unsupported_grant_type');
  });

  it('when a token request is made, then the grant is recorded but not the secrets in the form', async () => {
    await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: SIMULATOR_REFRESH_TOKEN });
    const [recorded] = simulator.controls.requests;
    assert.equal(recorded?.grantType, 'refresh_token');
    assert.ok(!JSON.stringify(recorded).includes(SIMULATOR_REFRESH_TOKEN));
  });

  it('when reset, then the initial refresh token works again', async () => {
    simulator.controls.expireRefreshTokens();
    simulator.controls.reset();
    assert.equal((await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: SIMULATOR_REFRESH_TOKEN })).status, 200);
    assert.equal(simulator.controls.requestCount(), 1);
  });
});
