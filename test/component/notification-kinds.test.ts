import assert from 'node:assert/strict';
import { SEEDED_GDAP } from '../../src/simulator/gdap.ts';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders, type PartnerCenterWebhookEvent } from '../../src/simulator/webhooks/index.ts';
import { buildSlashCommandRequest } from '../fakes/slack-request.ts';
import { buildPersonalMessage } from '../fakes/teams-activity.ts';
import { SLACK_ADMIN_USER, SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';
import { webhookClient } from './support/webhook-client.ts';

const events = createWebhookEventBuilders();
const ASSIGNMENT = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';

/** Every event kind the bot tells about: the webhook, the subscription kind it belongs to, the card's headline. */
const KINDS: Array<{ kind: string; subscription: string; event: () => PartnerCenterWebhookEvent; headline: RegExp }> = [
  { kind: 'accepted', subscription: 'accepted', event: () => events.resellerRelationshipAccepted(SAMPLE_CUSTOMERS[0]!.id), headline: /Müller Maschinenbau GmbH accepted your reseller relationship/ },
  { kind: 'accepted-indirect', subscription: 'accepted', event: () => events.indirectResellerRelationshipAccepted(SAMPLE_CUSTOMERS[4]!.id), headline: new RegExp(`${SAMPLE_CUSTOMERS[4]!.companyName} accepted your indirect reseller relationship`) },
  { kind: 'admin-removed', subscription: 'removed', event: () => events.dapTerminated(SAMPLE_CUSTOMERS[2]!.id), headline: /Bäckerei Schmidt KG removed your delegated admin rights/ },
  { kind: 'admin-removed-by-microsoft', subscription: 'removed', event: () => events.dapTerminatedByMicrosoft(SAMPLE_CUSTOMERS[5]!.id), headline: new RegExp(`Microsoft removed your delegated admin rights for ${SAMPLE_CUSTOMERS[5]!.companyName}`) },
  { kind: 'admin-approved', subscription: 'gdap', event: () => events.dapApproved(SAMPLE_CUSTOMERS[6]!.id), headline: new RegExp(`${SAMPLE_CUSTOMERS[6]!.companyName} granted you delegated admin rights`) },
  { kind: 'gdap-approved', subscription: 'gdap', event: () => events.granularAdminRelationship('approved', SEEDED_GDAP.active), headline: /Müller Maschinenbau GmbH approved a GDAP relationship/ },
  { kind: 'gdap-terminated', subscription: 'gdap', event: () => events.granularAdminRelationship('terminated', SEEDED_GDAP.activeLongTerm), headline: /GDAP relationship with .+ was terminated/ },
  { kind: 'gdap-expired', subscription: 'gdap', event: () => events.granularAdminRelationship('expired', SEEDED_GDAP.expired), headline: /GDAP relationship with .+ expired/ },
  { kind: 'access-assignment-created', subscription: 'gdap', event: () => events.accessAssignment('created', SEEDED_GDAP.expiringSoon, ASSIGNMENT), headline: /Access assignment created for Contoso Ltd/ },
  { kind: 'access-assignment-deleted', subscription: 'gdap', event: () => events.accessAssignment('deleted', SEEDED_GDAP.expiringSoon, ASSIGNMENT), headline: /Access assignment removed for Contoso Ltd/ },
];
const SUBSCRIPTIONS = ['accepted', 'removed', 'gdap'];

describe('notifications: each event kind reaches exactly the conversations subscribed to it', function () {
  this.timeout(60_000);
  let harness: BotUnderTest;

  before(async () => {
    harness = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0' }, { deliveryTuning: { idleMs: 50, claimGapMs: 1, digest: false } });
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'subscribe all' }));
    await harness.connector.waitForActivities(1);
    for (const kind of SUBSCRIPTIONS) {
      const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: `subscribe ${kind}`, channelId: `C0${kind.toUpperCase()}`, userId: SLACK_ADMIN_USER });
      await harness.post('/slack/events', request.body, request.headers);
    }
    await harness.slack.waitForCalls('chat.postMessage', SUBSCRIPTIONS.length);
    const send = webhookClient(harness);
    for (const { event } of KINDS) assert.equal(await send(event()), 200);
    const deadline = Date.now() + 40_000;
    while ((await harness.bot.store.outbox.counts()).done < KINDS.length * 2) {
      if (Date.now() > deadline) throw new Error(`not drained: ${JSON.stringify(await harness.bot.store.outbox.counts())}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  after(() => harness.stop());

  /** Everything the bot said in a Slack channel (new messages and card updates). */
  const saidIn = (channel: string) =>
    harness.slack.calls.filter((call) => (call.method === 'chat.postMessage' || call.method === 'chat.update') && call.args.channel === channel && call.status === 200).map((call) => JSON.stringify(call.args.blocks)).join('\n');
  const saidInTeams = () => JSON.stringify(harness.connector.activities());

  for (const { kind, subscription, headline } of KINDS) {
    it(`${kind}: in the Teams chat subscribed to all and the Slack channel subscribed to ${subscription}, nowhere else`, () => {
      assert.match(saidInTeams(), headline);
      for (const other of SUBSCRIPTIONS) {
        if (other === subscription) assert.match(saidIn(`C0${other.toUpperCase()}`), headline);
        else assert.doesNotMatch(saidIn(`C0${other.toUpperCase()}`), headline, `not in the channel subscribed to ${other}`);
      }
    });
  }
});
