import assert from 'node:assert/strict';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders } from '../../src/simulator/webhooks/index.ts';
import { buildPersonalMessage } from '../fakes/teams-activity.ts';
import { startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';
import { webhookClient } from './support/webhook-client.ts';

const events = createWebhookEventBuilders();
const mueller = SAMPLE_CUSTOMERS[0]!;

describe('history <customer>', function () {
  this.timeout(30_000);
  let harness: BotUnderTest;

  beforeEach(async () => {
    harness = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0' }, { deliveryTuning: { idleMs: 50, claimGapMs: 1 } });
  });
  afterEach(() => harness.stop());

  const say = async (text: string, user: { userAadObjectId?: string; locale?: string } = {}): Promise<string> => {
    const before = harness.connector.activities().length;
    await harness.post('/api/messages', { ...buildPersonalMessage({ serviceUrl: harness.connector.url, text, ...user }), ...(user.locale ? { locale: user.locale } : {}) });
    const activities = await harness.connector.waitForActivities(before + 1);
    return JSON.stringify(activities[before]);
  };

  it('when anyone (not only admins) asks, then the card lists what the bot saw, newest first, in their language', async () => {
    assert.equal(await webhookClient(harness)(events.resellerRelationshipAccepted(mueller.id)), 200);
    assert.equal(await webhookClient(harness)(events.dapTerminated(mueller.id)), 200);
    const deadline = Date.now() + 5_000;
    let card = '';
    while (Date.now() < deadline && !/removed your delegated admin rights/.test(card)) card = await say('history müller', { userAadObjectId: '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4' });
    assert.match(card, new RegExp(`History of ${mueller.companyName}`));
    assert.ok(card.indexOf('removed your delegated admin rights') < card.indexOf('accepted the reseller relationship'), 'newest first');
    assert.match(await say(`verlauf ${mueller.domain}`, { locale: 'de-DE' }), new RegExp(`Verlauf von ${mueller.companyName}.*Delegierte`, 'i'));
  });

  it('when the customer has no history, when none or several match, or nothing is named, then the answer says so (choices run history)', async () => {
    assert.match(await say(`history ${mueller.id}`), /Nothing yet/);
    assert.match(await say('history <!channel> Nobody'), /I couldn't find that customer/);
    harness.bot.simulator!.controls.addCustomer({ companyName: 'Müller Bau OHG', domain: 'mueller-bau.de' });
    const choices = await say('history Müller');
    assert.match(choices, /Several customers match/);
    assert.match(choices, new RegExp(`"text":"history ${mueller.id}"`));
    assert.match(await say('history'), /Which customer\?.*history contoso/);
  });
});
