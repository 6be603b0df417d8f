import assert from 'node:assert/strict';
import { SEEDED_GDAP } from '../../src/simulator/gdap.ts';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders } from '../../src/simulator/webhooks/index.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import { buildSlashCommandRequest } from '../fakes/slack-request.ts';
import { SLACK_ADMIN_USER, SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';
import { webhookClient } from './support/webhook-client.ts';

const events = createWebhookEventBuilders();
const CHANNEL = 'C0RECONCILE';
const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));

describe('reconciliation: what webhooks missed', function () {
  this.timeout(30_000);
  let harness: BotUnderTest;

  beforeEach(async () => {
    // No poll of its own: each test runs reconciliation when it wants to.
    harness = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0' }, { deliveryTuning: { idleMs: 50, claimGapMs: 1 } });
    const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: 'subscribe all', channelId: CHANNEL, userId: SLACK_ADMIN_USER });
    await harness.post('/slack/events', request.body, request.headers);
    await harness.slack.waitForCalls('chat.postMessage', 1);
  });
  afterEach(() => harness.stop());

  const simulator = () => harness.bot.simulator!.controls;
  const mentioning = (text: string, method = 'chat.postMessage'): SlackCall[] =>
    harness.slack.callsOf(method).filter((call) => call.args.channel === CHANNEL && call.status === 200 && JSON.stringify(call.args.blocks).includes(text));

  it('when it runs the first time, then it announces no existing customer, only a relationship about to end', async () => {
    const summary = await harness.bot.reconcileNow();
    assert.equal(summary?.baseline, true);
    assert.ok((summary?.customers ?? 0) >= SAMPLE_CUSTOMERS.length);
    await settle();
    assert.equal(harness.slack.callsOf('chat.postMessage').filter((call) => /accepted your reseller/.test(JSON.stringify(call.args.blocks))).length, 0);
    const [expiring] = mentioning('ends in 10 days');
    assert.ok(expiring, 'the seeded relationship ending in 10 days is announced (14-day threshold)');
    assert.match(JSON.stringify(expiring.args.blocks), new RegExp(SAMPLE_CUSTOMERS[1]!.companyName));
  });

  it('when a customer appears only in the poll, then it is announced once, however often the poll runs', async () => {
    await harness.bot.reconcileNow();
    const newcomer = simulator().addCustomer({ companyName: 'Neukunde Reconcile AG', domain: 'neukunde-reconcile.de' });
    await harness.bot.reconcileNow();
    await waitFor(() => mentioning(`${newcomer.companyName} accepted your reseller relationship`));
    await harness.bot.reconcileNow();
    await settle(1_500);
    assert.equal(mentioning(`${newcomer.companyName} accepted your reseller relationship`).length, 1);
  });

  it('when a webhook already told about a customer, then the poll does not tell it again', async () => {
    await harness.bot.reconcileNow();
    const newcomer = simulator().addCustomer({ companyName: 'Webhook Zuerst GmbH', domain: 'webhook-zuerst.de' });
    assert.equal(await webhookClient(harness)(events.resellerRelationshipAccepted(newcomer.id)), 200);
    await harness.bot.reconcileNow();
    await waitFor(() => mentioning('Webhook Zuerst GmbH accepted'));
    await settle(1_500);
    assert.equal(mentioning('Webhook Zuerst GmbH accepted').length, 1);
  });

  it('when a GDAP approval is only seen by the poll, then the customer card says so', async () => {
    await harness.bot.reconcileNow();
    simulator().updateGdapRelationship(SEEDED_GDAP.approvalPending, { status: 'active', endDateTime: new Date(Date.now() + 700 * 86_400_000).toISOString() });
    await harness.bot.reconcileNow();
    const [card] = await waitFor(() => mentioning(`${SAMPLE_CUSTOMERS[3]!.companyName} approved a GDAP relationship`));
    assert.ok(card);
    assert.match(JSON.stringify(card.args.blocks), /Fabrikam Onboarding/);
  });

  it('when a removal names no customer, then the card says "identifying" and is updated with the customer from the audit log', async () => {
    const customer = SAMPLE_CUSTOMERS[2]!;
    simulator().addAuditRecord({ operationType: 'dap_admin_relationship_terminated', resourceType: 'partner_customer_dap', customerId: customer.id, customerName: customer.companyName });
    assert.equal(await webhookClient(harness)(events.dapTerminated()), 200);
    const [first] = await waitFor(() => mentioning('A customer removed your delegated admin rights'));
    assert.match(JSON.stringify(first?.args.blocks), /identifying/);
    const ts = (first?.response as { ts?: string }).ts;
    // The bot looks at the audit log on its own about a second after such a removal.
    const [update] = await waitFor(() => mentioning(`${customer.companyName} removed your delegated admin rights`, 'chat.update'));
    assert.equal(update?.args.ts, ts);
    assert.doesNotMatch(JSON.stringify(update?.args.blocks), /identifying/);
    await waitFor(() => mentioning('removed your delegated admin rights').slice(1));
    await settle(1_500);
    assert.equal(mentioning('removed your delegated admin rights').length, 2, 'the first card and one follow-up in its thread, no second card');
    assert.equal(mentioning('removed your delegated admin rights').at(-1)?.args.thread_ts, ts);
  });
});

async function waitFor<T>(read: () => T[], timeoutMs = 10_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = read();
    if (found.length > 0) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
