import assert from 'node:assert/strict';
import { startBotUnderTest, type BotUnderTest } from '../component/support/bot-under-test.ts';
import { createFakeBotOpenId, generateSigningKey, type FakeBotOpenId } from '../fakes/fake-bot-openid.ts';
import { buildAdaptiveCardInvoke, buildPersonalMessage, FAKE_BOT_APP_ID, FAKE_TENANT_ID } from '../fakes/teams-activity.ts';
import { assertStoreUnchanged, observeStore } from './support/store-snapshot.ts';
import { TEAMS_APP_PASSWORD } from './support/sentinels.ts';

const OTHER_APP_ID = '0b6f1c2d-3e4a-4b5c-8d6e-7f8091a2b3c4';
const now = () => Math.floor(Date.now() / 1000);

describe('security: Teams requests need a Bot Framework token for our app id', function () {
  this.timeout(30_000);
  let openId: FakeBotOpenId;
  let harness: BotUnderTest;

  before(async () => {
    openId = createFakeBotOpenId();
    await openId.start();
    harness = await startBotUnderTest(
      { MicrosoftAppId: FAKE_BOT_APP_ID, MicrosoftAppPassword: TEAMS_APP_PASSWORD, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: FAKE_TENANT_ID, POLL_INTERVAL_MINUTES: '0' },
      { teamsAuthOverrides: openId.authOverrides() },
    );
  });
  after(async () => {
    await harness.stop();
    await openId.stop();
  });

  /** A Universal Action asking for help: answered in the HTTP response itself, so success is visible without any outbound call. */
  const helpInvoke = () => buildAdaptiveCardInvoke({ serviceUrl: harness.connector.url, replyToId: 'card-1', verb: 'command', data: { action: 'command', text: 'help' } });

  const refusals: Array<{ when: string; authorization: () => string | undefined }> = [
    { when: 'there is no Authorization header', authorization: () => undefined },
    { when: 'the bearer is not a JWT', authorization: () => 'Bearer not-a-jwt' },
    { when: 'the scheme is not Bearer', authorization: () => `Basic ${openId.tokenFor(FAKE_BOT_APP_ID, harness.connector.url)}` },
    { when: 'the token expired ten minutes ago', authorization: () => `Bearer ${openId.tokenFor(FAKE_BOT_APP_ID, harness.connector.url, { nbf: now() - 3600, exp: now() - 600 })}` },
    { when: 'the token is for another app id (wrong audience)', authorization: () => `Bearer ${openId.tokenFor(OTHER_APP_ID, harness.connector.url)}` },
    { when: 'the token has no audience', authorization: () => `Bearer ${openId.sign({ serviceurl: harness.connector.url })}` },
    { when: 'the token comes from another issuer', authorization: () => `Bearer ${openId.tokenFor(FAKE_BOT_APP_ID, harness.connector.url, { iss: 'https://evil.example' })}` },
    { when: 'the token is signed by another key under our key id', authorization: () => `Bearer ${openId.sign({ aud: FAKE_BOT_APP_ID, serviceurl: harness.connector.url }, { key: generateSigningKey() })}` },
    { when: 'the token names a key id the metadata does not list', authorization: () => `Bearer ${openId.sign({ aud: FAKE_BOT_APP_ID, serviceurl: harness.connector.url }, { kid: 'unknown-kid' })}` },
    { when: 'the token header claims alg none', authorization: () => `Bearer ${openId.sign({ aud: FAKE_BOT_APP_ID, serviceurl: harness.connector.url }, { alg: 'none' })}` },
    { when: 'the token header claims HS256', authorization: () => `Bearer ${openId.sign({ aud: FAKE_BOT_APP_ID, serviceurl: harness.connector.url }, { alg: 'HS256' })}` },
    { when: 'the token was issued for another serviceUrl', authorization: () => `Bearer ${openId.tokenFor(FAKE_BOT_APP_ID, 'https://smba.evil.example/teams/')}` },
    { when: 'the token is not valid before an hour from now', authorization: () => `Bearer ${openId.tokenFor(FAKE_BOT_APP_ID, harness.connector.url, { nbf: now() + 3600, exp: now() + 7200 })}` },
    {
      when: 'the signature is cut off',
      authorization: () => `Bearer ${openId.tokenFor(FAKE_BOT_APP_ID, harness.connector.url).replace(/\.[^.]+$/, '.')}`,
    },
  ];

  for (const { when, authorization } of refusals) {
    it(`when ${when}, then 401, nothing is stored and the connector is never called`, async () => {
      const calls = harness.connector.calls.length;
      const header = authorization();
      await assertStoreUnchanged(harness.storeFile, async () => {
        for (const activity of [helpInvoke(), buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'help' })]) {
          const response = await harness.post('/api/messages', activity, header === undefined ? {} : { authorization: header });
          assert.equal(response.status, 401, `${activity.type}: ${await response.text()}`);
        }
      });
      assert.equal(harness.connector.calls.length, calls);
    });
  }

  it('when the token is valid for our app id and this serviceUrl, then the activity is taken and answered (so the refusals above fail for their own reason)', async () => {
    const { result: response, changed } = await observeStore(harness.storeFile, () =>
      harness.post('/api/messages', helpInvoke(), { authorization: `Bearer ${openId.tokenFor(FAKE_BOT_APP_ID, harness.connector.url)}` }),
    );
    assert.equal(response.status, 200);
    const body = (await response.json()) as { statusCode?: number; type?: string; value?: unknown };
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(body.value), /subscribe/, 'the help card lists the commands');
    assert.ok(changed, 'the conversation reference was remembered');
    assert.ok(openId.fetches >= 2, 'the keys came from the fake metadata');
  });
});
