import assert from 'node:assert/strict';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders } from '../../src/simulator/webhooks/index.ts';
import { buildPersonalMessage } from '../fakes/teams-activity.ts';
import { startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';
import { webhookClient } from './support/webhook-client.ts';

const events = createWebhookEventBuilders();
const mueller = SAMPLE_CUSTOMERS[0]!;

describe('status and pending', function () {
  this.timeout(30_000);
  let harness: BotUnderTest;

  beforeEach(async () => {
    harness = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0' }, { deliveryTuning: { idleMs: 50, claimGapMs: 1 } });
  });
  afterEach(() => harness.stop());

  /** The ledger behind history and pending is written just after an event is answered: ask until it shows. */
  const sayUntil = async (text: string, expected: RegExp): Promise<string> => {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const card = await say(text);
      if (expected.test(card) || Date.now() > deadline) return card;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const say = async (text: string): Promise<string> => {
    const before = harness.connector.activities().length;
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text }));
    const activities = await harness.connector.waitForActivities(before + 1);
    return JSON.stringify(activities[before]);
  };

  it('when someone asks for a customer by the start of its name, in any case, then the card shows it with its GDAP relationships', async () => {
    const card = await say('status müller');
    assert.match(card, new RegExp(mueller.companyName));
    assert.match(card, new RegExp(mueller.domain));
    assert.match(card, /Relationship to you: reseller/);
    assert.match(card, /Mueller Maschinenbau Support: active, ends/);
  });

  it('when someone asks by tenant ID or by domain, then the same customer is found', async () => {
    assert.match(await say(`status ${mueller.id.toUpperCase()}`), new RegExp(mueller.companyName));
    assert.match(await say(`status ${mueller.domain}`), new RegExp(mueller.companyName));
  });

  it('when nothing matches, then the answer says so and repeats what was asked, inert', async () => {
    const card = await say('status <!channel> Nobody');
    assert.match(card, /I couldn't find that customer/);
    assert.match(card, /&lt;!channel&gt; Nobody|<!channel> Nobody/);
  });

  it('when several customers match, then each is offered as a button', async () => {
    harness.bot.simulator!.controls.addCustomer({ companyName: 'Müller Bau OHG', domain: 'mueller-bau.de' });
    const card = await say('status Müller');
    assert.match(card, /Several customers match/);
    assert.match(card, new RegExp(`"text":"status ${mueller.id}"`));
    assert.match(card, /Müller Bau OHG \(mueller-bau.de\)/);
  });

  it('when a customer accepted through a webhook, then status shows it in the history', async () => {
    assert.equal(await webhookClient(harness)(events.resellerRelationshipAccepted(mueller.id)), 200);
    assert.match(await sayUntil(`status ${mueller.id}`, /accepted the reseller relationship/), /accepted the reseller relationship/);
  });

  it('when an invitation was requested and a customer lost admin access, then pending lists both', async () => {
    assert.match(await say('pending'), /No invitations requested in that time/);
    await say('request relationship');
    const customer = SAMPLE_CUSTOMERS[2]!;
    harness.bot.simulator!.controls.addAuditRecord({ operationType: 'dap_admin_relationship_terminated', resourceType: 'partner_customer_dap', customerId: customer.id, customerName: customer.companyName });
    await harness.bot.reconcileNow();
    const card = await sayUntil('pending', new RegExp(`${customer.companyName}: removed`));
    assert.match(card, /Invitations sent in the last 90 days/);
    assert.match(card, /\(reseller, English\)/);
    assert.match(card, new RegExp(`${customer.companyName}: removed your delegated admin rights since`));
  });
});
