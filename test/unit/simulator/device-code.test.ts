import assert from 'node:assert/strict';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID } from '../../../src/simulator/defaults.ts';
import { DEVICE_CODE_GRANT, PARTNER_CENTER_USER_IMPERSONATION } from '../../../src/simulator/device-code.routes.ts';
import { APPROVE_AFTER_POLLS, DEVICE_CODE_INTERVAL_SECONDS, DEVICE_CODE_LIFETIME_SECONDS } from '../../../src/simulator/device-codes.ts';
import { createPartnerCenterSimulator, type PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';
import { call, get, requestToken, type Answer } from './sim-client.ts';

const CONSENT_SCOPE = `${PARTNER_CENTER_USER_IMPERSONATION} offline_access`;
const INTERVAL_MS = DEVICE_CODE_INTERVAL_SECONDS * 1000;

describe('simulator: Entra device code flow', () => {
  let simulator: PartnerCenterSimulator;
  // The simulator's clock; tests move it instead of waiting.
  let offset = 0;
  beforeEach(async () => {
    offset = 0;
    simulator = createPartnerCenterSimulator({ clock: { now: () => Date.now() + offset } });
    await simulator.start();
  });
  afterEach(() => simulator.stop());

  const askForCode = (form: Record<string, string> = {}, tenant = SIMULATOR_PARTNER_TENANT_ID): Promise<Answer> =>
    call(`${simulator.url}/${tenant}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: SIMULATOR_CLIENT_ID, scope: CONSENT_SCOPE, ...form }),
    });
  // A poll sends no scope: only the grant, the app and the device code.
  const poll = (deviceCode: string, form: Record<string, string> = {}): Promise<Answer> =>
    requestToken(simulator, { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, scope: '', ...form });
  const pollOnTime = (deviceCode: string): Promise<Answer> => {
    offset += INTERVAL_MS;
    return poll(deviceCode);
  };

  it('when a code is asked for, then it answers like Entra: device code, user code, verification URL, lifetime, interval, message', async () => {
    const answer = await askForCode();
    assert.equal(answer.status, 200, answer.text);
    assert.equal(typeof answer.json.device_code, 'string');
    assert.match(String(answer.json.user_code), /^[A-Z2-9]{9}$/);
    assert.match(String(answer.json.verification_uri), /^http:\/\/127\.0\.0\.1:\d+\/devicelogin$/);
    assert.equal(answer.json.expires_in, DEVICE_CODE_LIFETIME_SECONDS);
    assert.equal(answer.json.interval, DEVICE_CODE_INTERVAL_SECONDS);
    assert.match(String(answer.json.message), new RegExp(String(answer.json.user_code)));
  });

  it('when polled on time, then it is pending until the admin agent "signs in", then hands out a working App+User token and a refresh token', async () => {
    const deviceCode = String((await askForCode()).json.device_code);
    for (let attempt = 1; attempt < APPROVE_AFTER_POLLS; attempt++) {
      const pending = await pollOnTime(deviceCode);
      assert.equal(pending.status, 400);
      assert.equal(pending.json.error, 'authorization_pending');
      assert.match(String(pending.json.error_description), /^AADSTS70016:/);
    }
    const signedIn = await pollOnTime(deviceCode);
    assert.equal(signedIn.status, 200, signedIn.text);
    assert.equal(signedIn.json.scope, PARTNER_CENTER_USER_IMPERSONATION);
    const link = await get(simulator, '/v1/customers/relationshiprequests', String(signedIn.json.access_token));
    assert.equal(link.status, 200, 'the relationship request link needs App+User, and this token is one');
    const refreshed = await requestToken(simulator, { grant_type: 'refresh_token', refresh_token: String(signedIn.json.refresh_token) });
    assert.equal(refreshed.status, 200, 'the refresh token works like any consent');
    assert.equal((await pollOnTime(deviceCode)).json.error, 'invalid_grant', 'a device code redeems once');
  });

  it('when polled before the interval is over, then slow_down, and the interval grows by five seconds', async () => {
    const deviceCode = String((await askForCode()).json.device_code);
    assert.equal((await poll(deviceCode)).json.error, 'slow_down', 'not even the first poll may come at once');
    offset += INTERVAL_MS + 4_000;
    assert.equal((await poll(deviceCode)).json.error, 'slow_down', 'the old interval is no longer enough; each slow_down adds five seconds more');
    offset += INTERVAL_MS + 10_000;
    assert.equal((await poll(deviceCode)).json.error, 'authorization_pending');
  });

  it('when the code has outlived expires_in, then expired_token', async () => {
    const deviceCode = String((await askForCode()).json.device_code);
    offset += DEVICE_CODE_LIFETIME_SECONDS * 1000;
    const answer = await poll(deviceCode);
    assert.deepEqual([answer.status, answer.json.error], [400, 'expired_token']);
  });

  it('when offline_access was not asked for, then the sign-in succeeds without a refresh token', async () => {
    const deviceCode = String((await askForCode({ scope: PARTNER_CENTER_USER_IMPERSONATION })).json.device_code);
    let answer: Answer | undefined;
    for (let attempt = 0; attempt < APPROVE_AFTER_POLLS; attempt++) answer = await pollOnTime(deviceCode);
    assert.equal(answer?.status, 200);
    assert.equal(answer?.json.refresh_token, undefined);
  });

  it('when the code, client, secret, tenant or scope is wrong, then Entra\'s errors', async () => {
    const deviceCode = String((await askForCode()).json.device_code);
    offset += INTERVAL_MS;
    assert.equal((await poll('made-up-code')).json.error, 'bad_verification_code');
    assert.equal((await poll(deviceCode, { client_secret: 'wrong' })).json.error, 'invalid_client');
    assert.equal((await askForCode({ client_id: '00000000-0000-0000-0000-000000000000' })).json.error, 'unauthorized_client');
    assert.equal((await askForCode({}, 'contoso.onmicrosoft.com')).json.error, 'invalid_request');
    assert.equal((await askForCode({ scope: 'https://graph.microsoft.com/.default offline_access' })).json.error, 'invalid_scope');
    assert.equal((await poll(deviceCode, { client_secret: SIMULATOR_CLIENT_SECRET })).json.error, 'authorization_pending', 'the failed polls did not spend the code');
  });
});
