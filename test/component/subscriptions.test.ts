import assert from 'node:assert/strict';
import { buildEventCallbackPayload, buildSlashCommandRequest, signSlackRequest } from '../fakes/slack-request.ts';
import { buildBotAddedUpdate, buildInstallationUpdate, buildPersonalMessage, FAKE_USER_AAD_ID } from '../fakes/teams-activity.ts';
import { SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';

describe('subscriptions and the welcome', () => {
  let harness: BotUnderTest;

  beforeEach(async () => {
    harness = await startBotUnderTest();
  });
  afterEach(() => harness.stop());

  const say = async (text: string, userAadObjectId = FAKE_USER_AAD_ID) => {
    const before = harness.connector.activities().length;
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text, userAadObjectId }));
    const activities = await harness.connector.waitForActivities(before + 1);
    return JSON.stringify(activities[before]);
  };

  it('when a Teams admin subscribes to accepted and gdap, then subscriptions shows exactly those', async () => {
    assert.match(await say('subscribe accepted gdap'), /Saved\. This conversation now gets/);
    const shown = await say('subscriptions');
    assert.match(shown, /"title":"Customer accepted the reseller invitation","value":"on"/);
    assert.match(shown, /"title":"GDAP relationship changes","value":"on"/);
    assert.match(shown, /"title":"Admin rights removed","value":"off"/);
  });

  it('when someone who is not an admin tries to subscribe, then it is refused and nothing changes', async () => {
    assert.match(await say('subscribe', '00000000-aaaa-bbbb-cccc-000000000000'), /Only bot admins/);
    assert.match(await say('subscriptions'), /"value":"off"/);
    assert.doesNotMatch(await say('subscriptions'), /"value":"on"/);
  });

  it('when an unknown kind is named, then the answer says which word', async () => {
    assert.match(await say('subscribe weather'), /I don't know that kind of notification/);
  });

  it('when a Slack admin subscribes with /partner, then the confirmation lands in the channel', async () => {
    const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: 'subscribe removed' });
    await harness.post('/slack/events', request.body, request.headers);
    const [call] = await harness.slack.waitForCalls('chat.postMessage', 1);
    assert.match(JSON.stringify(call?.args.blocks), /Admin rights removed:/);
  });

  it('when the bot is added to a Teams conversation, then it says hello once (not again for the installation update)', async () => {
    await harness.post('/api/messages', buildInstallationUpdate({ serviceUrl: harness.connector.url, action: 'add', scope: 'channel' }));
    await harness.post('/api/messages', buildBotAddedUpdate({ serviceUrl: harness.connector.url, scope: 'channel' }));
    const [welcome] = await harness.connector.waitForActivities(1);
    assert.match(JSON.stringify(welcome), /subscribe/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(harness.connector.activities().length, 1);
  });

  it('when the bot joins a Slack channel, then it posts the welcome there', async () => {
    const joined = { type: 'member_joined_channel', user: 'U0FAKEBOT', channel: 'C0WELCOME', channel_type: 'C', team: 'T0FAKETEAM', event_ts: '1.1' };
    const body = JSON.stringify(buildEventCallbackPayload(joined, { eventId: 'Ev0WELCOME' }));
    await harness.post('/slack/events', body, signSlackRequest(SLACK_SIGNING_SECRET, body));
    const [call] = await harness.slack.waitForCalls('chat.postMessage', 1);
    assert.equal(call?.args.channel, 'C0WELCOME');
    assert.match(JSON.stringify(call?.args.blocks), /subscribe/);
  });
});
