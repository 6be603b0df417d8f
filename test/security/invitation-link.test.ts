import assert from 'node:assert/strict';
import { createRelationshipRequestUrl } from '../../src/simulator/customers.routes.ts';
import { SIMULATOR_PARTNER_TENANT_ID } from '../../src/simulator/defaults.ts';
import { SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from '../component/support/bot-under-test.ts';
import { buildAppMentionRequest, buildBlockActionsRequest, buildDirectMessageRequest, buildSlashCommandRequest, type SignedSlackRequest } from '../fakes/slack-request.ts';
import { INVITATION_ACTIONS, invitationIdIn } from './support/invitation-card.ts';
import { buildCardSubmitMessage, buildChannelMessage, buildGroupChatMessage, buildPersonalMessage, FAKE_TENANT_ID, type ConversationType } from '../fakes/teams-activity.ts';

const LINK = createRelationshipRequestUrl(SIMULATOR_PARTNER_TENANT_ID);
const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';
const OTHER_TEAM = 'T0OTHERTEAM';
const ASKS = ['request relationship', 'invite', 'beziehung anfordern', 'einladen', 'request relationship indirect nordwind lang de'];
const signingSecret = SLACK_SIGNING_SECRET;

/** Any trace of the partner's link, whole or in part, URL-encoded or not. */
function carriesLink(value: unknown): boolean {
  const text = JSON.stringify(value);
  return [LINK, 'partnerId=', 'partnerId%3D', 'invType', SIMULATOR_PARTNER_TENANT_ID].some((needle) => text.includes(needle));
}

describe('security: the invitation link is never posted outside allow-listed, internal conversations', function () {
  this.timeout(30_000);
  let harness: BotUnderTest;

  beforeEach(async () => {
    harness = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0' });
  });
  afterEach(() => harness.stop());

  /** Everything that went out to a chat platform, requests and answers. */
  const everythingSent = () => [...harness.connector.calls.map((call) => call.body), ...harness.slack.calls.map((call) => call.args)];
  const linkRequests = () => harness.bot.simulator!.controls.requestCount('/v1/customers/relationshiprequests');
  const teams = (scope: ConversationType, text: string, tenantId = FAKE_TENANT_ID) => {
    const input = { serviceUrl: harness.connector.url, text, tenantId };
    const activity = scope === 'personal' ? buildPersonalMessage(input) : scope === 'groupChat' ? buildGroupChatMessage(input) : buildChannelMessage(input);
    return harness.post('/api/messages', activity);
  };
  const slack = (request: SignedSlackRequest) => harness.post('/slack/events', request.body, request.headers);
  /** An invitation card in an allowed, internal conversation (the link shown, so refusals fail for their own reason); its id. */
  const postTeamsInvitation = async (scope: ConversationType): Promise<string> => {
    await teams(scope, 'request relationship');
    const [card] = await harness.connector.waitForActivities(1);
    assert.ok(carriesLink(card), `the ${scope} conversation got the link`);
    harness.connector.reset();
    return invitationIdIn(card);
  };
  const click = (scope: ConversationType, value: Record<string, unknown>, tenantId = FAKE_TENANT_ID) =>
    harness.post('/api/messages', buildCardSubmitMessage({ serviceUrl: harness.connector.url, replyToId: 'card-1', scope, tenantId, value }));

  it('when a Teams user of a tenant that is not allowed asks in any words and any scope, then the refusal carries no link and Partner Center is not asked', async () => {
    for (const scope of ['personal', 'groupChat', 'channel'] as const) for (const text of ASKS) await teams(scope, text, OTHER_TENANT);
    const replies = await harness.connector.waitForActivities(ASKS.length * 3);
    assert.ok(replies.every((reply) => /can't use this bot/.test(JSON.stringify(reply))));
    assert.equal(carriesLink(everythingSent()), false);
    assert.equal(linkRequests(), 0);
  });

  it('when a Slack workspace that is not allowed asks by command, mention or DM, then the refusal carries no link and Partner Center is not asked', async () => {
    for (const text of ASKS) {
      await slack(buildSlashCommandRequest({ signingSecret, text, teamId: OTHER_TEAM }));
      await slack(buildAppMentionRequest({ signingSecret, text, teamId: OTHER_TEAM }));
      await slack(buildDirectMessageRequest({ signingSecret, text, teamId: OTHER_TEAM }));
    }
    await harness.slack.waitForCalls('chat.postMessage', ASKS.length);
    await harness.slack.waitForCalls('chat.postEphemeral', ASKS.length * 2);
    assert.equal(carriesLink(everythingSent()), false);
    assert.equal(linkRequests(), 0);
  });

  for (const [when, member] of [
    ['a member from another tenant', { id: '29:outsider', name: 'Outside Person', aadObjectId: 'o-1', tenantId: OTHER_TENANT }],
    ['a guest of our own tenant', { id: '29:guest', name: 'Guest Person', aadObjectId: 'g-1', tenantId: FAKE_TENANT_ID, userRole: 'guest' }],
  ] as const) {
    it(`when a Teams group chat or channel has ${when}, then the link is refused there in every wording`, async () => {
      harness.connector.addMember(member);
      for (const scope of ['groupChat', 'channel'] as const) for (const text of ASKS) await teams(scope, text);
      const replies = await harness.connector.waitForActivities(ASKS.length * 2);
      assert.ok(replies.every((reply) => /outside people/.test(JSON.stringify(reply))));
      assert.equal(carriesLink(everythingSent()), false);
    });
  }

  for (const [when, channel, fault] of [
    ['is a Slack Connect channel', { id: 'C0FAKECHAN', is_ext_shared: true }, undefined],
    ['is about to become a Slack Connect channel', { id: 'C0FAKECHAN', is_pending_ext_shared: true }, undefined],
    ['cannot be checked (conversations.info fails)', { id: 'C0FAKECHAN' }, { error: 'internal_error' }],
  ] as const) {
    it(`when the Slack channel ${when}, then the link is refused there by command and by mention`, async () => {
      harness.slack.setChannel(channel);
      if (fault) harness.slack.failNext(fault, 10, 'conversations.info');
      for (const text of ASKS) {
        await slack(buildSlashCommandRequest({ signingSecret, text }));
        await slack(buildAppMentionRequest({ signingSecret, text }));
      }
      await harness.slack.waitForCalls('chat.postEphemeral', ASKS.length * 2);
      assert.equal(carriesLink(everythingSent()), false);
    });
  }

  it('when the buttons of a real invitation card are clicked from a tenant that is not allowed or from another conversation, then no link comes back', async () => {
    const invitationId = await postTeamsInvitation('personal');
    for (const action of INVITATION_ACTIONS) {
      await click('personal', { action, invitationId, paragraph1: 'x' }, OTHER_TENANT);
      await click('groupChat', { action, invitationId, paragraph1: 'x' });
    }
    await harness.connector.waitForActivities(10);
    assert.equal(carriesLink(everythingSent()), false);
  });

  it('when a Teams group chat gained an outside member after the card was posted, then its buttons no longer bring the link back', async () => {
    const invitationId = await postTeamsInvitation('groupChat');
    harness.connector.addMember({ id: '29:outsider', name: 'Outside Person', aadObjectId: 'o-1', tenantId: OTHER_TENANT });
    for (const action of INVITATION_ACTIONS) await click('groupChat', { action, invitationId, paragraph1: 'x' });
    const replies = await harness.connector.waitForActivities(5);
    assert.ok(replies.every((reply) => /outside people/.test(JSON.stringify(reply))));
    assert.equal(carriesLink(everythingSent()), false);
  });

  it('when a Slack channel became a Slack Connect channel after the card was posted, then its buttons no longer bring the link back', async () => {
    await slack(buildSlashCommandRequest({ signingSecret, text: 'request relationship' }));
    const [posted] = await harness.slack.waitForCalls('chat.postMessage', 1);
    assert.ok(carriesLink(posted?.args), 'internal channel: the link was shown');
    const invitationId = invitationIdIn(posted?.args.blocks);
    // The click reaches another replica on the same store: it has not seen this channel as internal.
    const replica = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0', STORE_URL: `sqlite://${harness.storeFile}` });
    try {
      replica.slack.setChannel({ id: 'C0FAKECHAN', is_ext_shared: true });
      for (const action of INVITATION_ACTIONS) {
        const request = buildBlockActionsRequest({ signingSecret, actionId: action, value: JSON.stringify({ action, invitationId }), messageTs: '1700000000.000100' });
        await replica.post('/slack/events', request.body, request.headers);
      }
      const refusals = await replica.slack.waitForCalls('chat.postEphemeral', INVITATION_ACTIONS.length);
      assert.ok(refusals.every((call) => /outside people/.test(JSON.stringify(call.args))));
      assert.equal(carriesLink(replica.slack.calls.map((call) => call.args)), false);
    } finally {
      await replica.stop();
    }
  });
});
