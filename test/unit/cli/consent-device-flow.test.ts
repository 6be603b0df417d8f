import assert from 'node:assert/strict';
import { CONSENT_SCOPE, ConsentError, DEVICE_CODE_GRANT, signInWithDeviceCode, type DeviceCodePrompt } from '../../../src/cli/consent.ts';
import { entraError, FAKE_TENANT, PENDING, startFakeEntraDeviceFlow, type FakeEntraDeviceFlow, type ScriptedAnswer } from '../../fakes/fake-entra-device-flow.ts';

const CODE_ANSWER: ScriptedAnswer = {
  status: 200,
  body: { device_code: 'device-code-123', user_code: 'FH7G4XMKA', verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval: 5, message: 'To sign in, use a web browser…' },
};
const TOKENS: ScriptedAnswer = { status: 200, body: { token_type: 'Bearer', access_token: 'secret-access-token', refresh_token: 'secret-refresh-token', expires_in: 3600 } };
const app = { tenantId: FAKE_TENANT, clientId: 'client-id-1', clientSecret: 'client-secret-1' };

describe('npm run consent: the device code flow against Entra', () => {
  let entra: FakeEntraDeviceFlow | undefined;
  afterEach(() => entra?.stop());

  /** Runs the flow with a recording clock: sleeping only moves time forward. */
  async function signIn(polls: ScriptedAnswer[], deviceCode: ScriptedAnswer = CODE_ANSWER) {
    entra = await startFakeEntraDeviceFlow({ deviceCode, polls });
    const waits: number[] = [];
    const prompts: DeviceCodePrompt[] = [];
    let now = 1_000_000;
    const run = signInWithDeviceCode(
      { authorityUrl: entra.url, ...app },
      {
        onPrompt: (prompt) => prompts.push(prompt),
        sleep: async (ms) => {
          waits.push(ms);
          now += ms;
        },
        now: () => now,
      },
    );
    return { run, waits, prompts, requests: entra.requests };
  }

  it('when the admin agent signs in after two pending polls, then the refresh token comes back, polled every interval, and the code was shown', async () => {
    const { run, waits, prompts, requests } = await signIn([PENDING, PENDING, TOKENS]);
    assert.deepEqual(await run, { refreshToken: 'secret-refresh-token' });
    assert.deepEqual(waits, [5000, 5000, 5000]);
    assert.deepEqual(prompts, [{ verificationUri: 'https://microsoft.com/devicelogin', userCode: 'FH7G4XMKA', expiresInSeconds: 900, message: 'To sign in, use a web browser…' }]);
    assert.deepEqual(requests[0], { path: `/${FAKE_TENANT}/oauth2/v2.0/devicecode`, form: { client_id: 'client-id-1', scope: CONSENT_SCOPE } });
    assert.equal(requests.length, 4);
    for (const poll of requests.slice(1)) {
      assert.deepEqual(poll, { path: `/${FAKE_TENANT}/oauth2/v2.0/token`, form: { grant_type: DEVICE_CODE_GRANT, client_id: 'client-id-1', client_secret: 'client-secret-1', device_code: 'device-code-123' } });
    }
  });

  it('when Entra says slow_down, then every later poll waits five seconds longer', async () => {
    const slowDown = entraError('slow_down', 70016, 'Polling too fast.');
    const { run, waits } = await signIn([PENDING, slowDown, PENDING, slowDown, TOKENS]);
    await run;
    assert.deepEqual(waits, [5000, 5000, 10_000, 10_000, 15_000]);
  });

  it('when Entra names no interval, then the client waits the RFC\'s five seconds', async () => {
    const { run, waits } = await signIn([TOKENS], { status: 200, body: { ...CODE_ANSWER.body, interval: undefined } });
    await run;
    assert.deepEqual(waits, [5000]);
  });

  for (const error of ['authorization_declined', 'access_denied']) {
    it(`when the admin agent declines (${error}), then it stops polling and says nothing was stored`, async () => {
      const { run, requests } = await signIn([PENDING, entraError(error, 65004, 'The user declined.'), PENDING]);
      await assert.rejects(run, (thrown: unknown) => thrown instanceof ConsentError && /declined; nothing was stored/.test(thrown.message));
      assert.equal(requests.length, 3);
    });
  }

  it('when Entra says expired_token, then it stops and asks to run it again', async () => {
    const { run } = await signIn([PENDING, entraError('expired_token', 70020, 'This device code has expired.')]);
    await assert.rejects(run, /code expired before the sign-in finished: run npm run consent again/);
  });

  it('when expires_in runs out while Entra still says pending, then it stops without polling past the deadline', async () => {
    const { run, waits, requests } = await signIn([PENDING], { status: 200, body: { ...CODE_ANSWER.body, expires_in: 12, interval: 5 } });
    await assert.rejects(run, /code expired/);
    assert.deepEqual(waits, [5000, 5000, 5000]);
    assert.equal(requests.length, 3, 'the code request and two polls; the third wait ended after the deadline');
  });

  it('when Entra refuses the app, then the error names Entra\'s code and first line, without trace ids', async () => {
    const { run } = await signIn([entraError('invalid_client', 7000215, 'Invalid client secret provided.')]);
    await assert.rejects(run, (thrown: unknown) => {
      assert.ok(thrown instanceof ConsentError);
      assert.equal(thrown.message, 'Entra refused the sign-in: invalid_client: AADSTS7000215: Invalid client secret provided.');
      return true;
    });
  });

  it('when /devicecode refuses, then nothing is shown and the error says why', async () => {
    const { run, prompts } = await signIn([TOKENS], entraError('invalid_scope', 70011, 'The provided request must include a valid scope.'));
    await assert.rejects(run, /refused to start the sign-in: invalid_scope: AADSTS70011/);
    assert.deepEqual(prompts, []);
  });

  it('when Entra signs in but returns no refresh token, then it fails instead of storing nothing silently', async () => {
    const { run } = await signIn([{ status: 200, body: { ...TOKENS.body, refresh_token: undefined } }]);
    await assert.rejects(run, /returned no refresh token \(was offline_access granted\?\)/);
  });

  it('when nothing answers at the authority, then a clear error names where it tried', async () => {
    await assert.rejects(
      signInWithDeviceCode({ authorityUrl: 'http://127.0.0.1:9', ...app }, { onPrompt: () => undefined }),
      /Entra did not answer at http:\/\/127\.0\.0\.1:9/,
    );
  });
});
