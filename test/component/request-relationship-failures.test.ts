import assert from 'node:assert/strict';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID } from '../../src/simulator/defaults.ts';
import { startSimulator, type PartnerCenterSimulator } from '../../src/simulator/simulator.ts';
import { buildPersonalMessage } from '../fakes/teams-activity.ts';
import { startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';

const URL_PATH = '/v1/customers/relationshiprequests';
const FAST = { timeoutMs: 300, retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50, budgetMs: 2000, maxRetryAfterMs: 2000 } };

type Controls = PartnerCenterSimulator['controls'];

interface FailureCase {
  name: string;
  arrange: (controls: Controls) => void;
  code: string;
  title: RegExp;
}

const CASES: FailureCase[] = [
  {
    name: 'the refresh token has expired',
    // Start-up work already holds an access token; a 401 makes the client drop it and need the refresh token.
    arrange: (c) => {
      c.expireRefreshTokens();
      c.failNext(1, 401, '/v1/customers/relationshiprequests');
    },
    code: 'PARTNER_CENTER.CONSENT_EXPIRED', title: /sign in again/ },
  { name: 'the user lacks the admin agent role (403)', arrange: (c) => c.failNext(1, 403, URL_PATH), code: 'PARTNER_CENTER.FORBIDDEN', title: /refused the request/ },
  { name: 'Partner Center throttles longer than we wait (429)', arrange: (c) => c.throttleNext(1, 57, URL_PATH), code: 'PARTNER_CENTER.THROTTLED', title: /about 57 seconds/ },
  { name: 'Partner Center keeps failing (503)', arrange: (c) => c.failNext(20, 503, URL_PATH), code: 'PARTNER_CENTER.UNAVAILABLE', title: /not available/ },
  { name: 'Partner Center does not answer in time', arrange: (c) => c.delayNext(20, 1500, URL_PATH), code: 'PARTNER_CENTER.TIMEOUT', title: /did not answer in time/ },
  { name: 'the answer is not JSON', arrange: (c) => c.malformNext(20, 'not-json', URL_PATH), code: 'PARTNER_CENTER.MALFORMED_RESPONSE', title: /can't use/ },
];

async function askForInvitation(harness: BotUnderTest): Promise<string> {
  const response = await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'request relationship' }));
  assert.equal(response.status, 200, 'the request itself never fails');
  const [activity] = await harness.connector.waitForActivities(1, 5000);
  return JSON.stringify(activity?.attachments);
}

describe('request relationship: failure paths', () => {
  let harness: BotUnderTest;

  beforeEach(async () => {
    harness = await startBotUnderTest({}, { partnerCenterTuning: FAST });
  });
  afterEach(() => harness.stop());

  for (const failure of CASES) {
    it(`when ${failure.name}, then the user gets a translated card and the operator a log line with the correlation id`, async () => {
      failure.arrange(harness.bot.simulator!.controls);
      const card = await askForInvitation(harness);
      assert.match(card, failure.title);
      assert.doesNotMatch(card, /admin\.microsoft\.com/);
      const correlationId = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(card)?.[1];
      assert.ok(correlationId, 'the card shows a reference');
      const logged = harness.logs.lines.find((line) => line.correlationId === correlationId && line.msg === 'Partner Center call failed');
      assert.equal(logged?.code, failure.code);
    });
  }

  it('when Partner Center throttles briefly, then the client waits and the card still arrives', async () => {
    harness.bot.simulator!.controls.throttleNext(1, 1, URL_PATH);
    const card = await askForInvitation(harness);
    assert.match(card, /admin\.microsoft\.com/);
    assert.equal(harness.bot.simulator!.controls.requestCount(URL_PATH), 2);
  });
});

describe('request relationship: live mode without an App+User sign-in', () => {
  let simulator: PartnerCenterSimulator;
  let harness: BotUnderTest;

  before(async () => {
    simulator = await startSimulator();
    harness = await startBotUnderTest(
      {
        PARTNER_TENANT_ID: SIMULATOR_PARTNER_TENANT_ID,
        PARTNER_CENTER_CLIENT_ID: SIMULATOR_CLIENT_ID,
        PARTNER_CENTER_CLIENT_SECRET: SIMULATOR_CLIENT_SECRET,
        PARTNER_CENTER_API_URL: simulator.url,
        ENTRA_AUTHORITY_URL: simulator.url,
        PARTNER_CENTER_WEBHOOK_TOKEN: 'hook',
        PARTNER_DISPLAY_NAME: 'Fabrikam Cloud Services GmbH',
        SECRETS_KEY: 'test-secrets-key',
      },
      { partnerCenterTuning: FAST },
    );
  });
  after(async () => {
    await harness.stop();
    await simulator.stop();
  });

  it('when no refresh token is configured, then the card tells the admin to run npm run consent', async () => {
    assert.equal(harness.bot.simulator, undefined, 'live mode starts no simulator of its own');
    const card = await askForInvitation(harness);
    assert.match(card, /sign in first/);
    assert.match(card, /npm run consent/);
    assert.equal(simulator.controls.requestCount(URL_PATH), 0);
  });
});
