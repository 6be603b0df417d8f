import assert from 'node:assert/strict';
import { createRelationshipRequestUrl } from '../../src/simulator/customers.routes.ts';
import { SIMULATOR_PARTNER_TENANT_ID } from '../../src/simulator/defaults.ts';
import { SAMPLE_INDIRECT_PROVIDERS } from '../../src/simulator/seed.ts';
import { buildBlockActionsRequest, buildSlashCommandRequest, signSlackRequest } from '../fakes/slack-request.ts';
import { buildCardSubmitMessage, buildChannelMessage, buildPersonalMessage } from '../fakes/teams-activity.ts';
import { SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';

const LINK = createRelationshipRequestUrl(SIMULATOR_PARTNER_TENANT_ID);
const signingSecret = SLACK_SIGNING_SECRET;

type Json = Record<string, unknown>;

/** Every string value anywhere in a JSON tree. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

function findAction(card: unknown, action: string): Json | undefined {
  const found: Json[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Json;
      if ((record.data as Json | undefined)?.action === action) found.push(record);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found[0];
}

describe('request relationship: the invitation card', () => {
  let harness: BotUnderTest;

  beforeEach(async () => {
    harness = await startBotUnderTest();
  });
  afterEach(() => harness.stop());

  const teamsCard = async (text: string, locale = 'en-US', index = 0) => {
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text, locale }));
    const activities = await harness.connector.waitForActivities(index + 1);
    return (activities[index]?.attachments?.[0] as { content: Json }).content;
  };

  it('when a Teams user asks, then the card carries the link exactly as the simulator returned it', async () => {
    const card = await teamsCard('request relationship');
    assert.ok(stringsIn(card).includes(LINK), 'a string equal to the link');
    assert.match(JSON.stringify(card), /Contoso Cloud Partner/);
  });

  it('when a German user asks, then the email and the card are German; lang en switches only the email', async () => {
    const german = JSON.stringify(await teamsCard('beziehung anfordern', 'de-DE'));
    assert.match(german, /globaler Administrator/);
    const mixed = await teamsCard('beziehung anfordern lang en', 'de-DE', 1);
    assert.ok(stringsIn(mixed).includes(LINK));
    assert.match(JSON.stringify(mixed), /Global Administrator/);
  });

  it('when asked twice, then Partner Center is asked once (the link is cached)', async () => {
    await teamsCard('invite');
    await teamsCard('invite', 'en-US', 1);
    assert.equal(harness.bot.simulator?.controls.requestCount('/v1/customers/relationshiprequests'), 1);
  });

  it('when the text is edited and saved in Teams, then the card is replaced in place and the link stays byte-identical', async () => {
    const card = await teamsCard('request relationship');
    const edit = findAction(card, 'invitation.edit');
    assert.ok(edit);
    await harness.post('/api/messages', buildCardSubmitMessage({ serviceUrl: harness.connector.url, replyToId: 'card-1', value: edit.data as Json }));
    const editing = await harness.connector.waitForActivities(2);
    const save = findAction(editing[1], 'invitation.save');
    assert.ok(save, 'the editing card offers Save');
    const value = { ...(save.data as Json), paragraph1: 'Hallo Frau Müller, <!channel> **wir**', paragraph2: 'Zweiter Absatz.' };
    await harness.post('/api/messages', buildCardSubmitMessage({ serviceUrl: harness.connector.url, replyToId: 'card-1', value }));
    const after = await harness.connector.waitForActivities(3);
    const updates = harness.connector.calls.filter((call) => call.route === 'update');
    assert.equal(updates.length, 2, 'edit and save replaced the clicked card');
    assert.equal(updates[1]?.activityId, 'card-1');
    const saved = (after[2]?.attachments?.[0] as { content: Json }).content;
    assert.ok(stringsIn(saved).includes(LINK));
    assert.ok(stringsIn(saved).includes('Hallo Frau Müller, <!channel> **wir**'), 'the custom paragraph appears as plain text');
  });

  it('when the indirect variant names a provider, then the link carries the provider and the card says so', async () => {
    const provider = SAMPLE_INDIRECT_PROVIDERS[0]!;
    const card = await teamsCard('request relationship indirect nordwind');
    const expected = LINK.replace('#/', `&indirectCSPId=${provider.id}#/`);
    assert.ok(stringsIn(card).includes(expected));
    assert.match(JSON.stringify(card), /Nordwind Distribution GmbH/);
  });

  it('when a Teams group chat has a member from another tenant, then the link is refused with the reason', async () => {
    harness.connector.addMember({ id: '29:guest', name: 'Outside Person', aadObjectId: 'g-1', tenantId: '77777777-7777-7777-7777-777777777777' });
    await harness.post('/api/messages', buildChannelMessage({ serviceUrl: harness.connector.url, text: 'request relationship' }));
    const [reply] = await harness.connector.waitForActivities(1);
    assert.match(JSON.stringify(reply), /outside people/);
    assert.doesNotMatch(JSON.stringify(reply), /admin\.microsoft\.com/);
  });

  it('when the link was shown, then it appears in no log line and not in /metrics', async () => {
    await teamsCard('request relationship');
    const metrics = await (await fetch(`${harness.url}/metrics`)).text();
    assert.ok(harness.logs.lines.length > 0);
    assert.ok(!harness.logs.text().includes('partnerId='), 'no log line carries the link');
    assert.ok(!metrics.includes('partnerId='));
  });

  it('when the tenant is not on the allow-list, then no link is fetched or shown', async () => {
    await harness.post('/api/messages', buildChannelMessage({ serviceUrl: harness.connector.url, text: 'invite', tenantId: '99999999-9999-9999-9999-999999999999' }));
    const [reply] = await harness.connector.waitForActivities(1);
    assert.doesNotMatch(JSON.stringify(reply), /admin\.microsoft\.com/);
    assert.equal(harness.bot.simulator?.controls.requestCount('/v1/customers/relationshiprequests'), 0);
  });

  it('when a Slack user asks in a channel, then the blocks carry the exact link in a rich_text element', async () => {
    const request = buildSlashCommandRequest({ signingSecret, text: 'request relationship' });
    await harness.post('/slack/events', request.body, request.headers);
    const [call] = await harness.slack.waitForCalls('chat.postMessage', 1);
    assert.ok(stringsIn(call?.args.blocks).includes(LINK));
  });

  it('when a Slack user edits the text, then a modal opens and saving updates the message with the link unchanged', async () => {
    const request = buildSlashCommandRequest({ signingSecret, text: 'invite' });
    await harness.post('/slack/events', request.body, request.headers);
    const [posted] = await harness.slack.waitForCalls('chat.postMessage', 1);
    const edit = stringsIn(posted?.args.blocks).find((value) => value.includes('"invitation.edit"'));
    assert.ok(edit, 'an Edit button');
    const click = buildBlockActionsRequest({ signingSecret, actionId: 'invitation.edit', value: edit, messageTs: '1700000000.000100' });
    await harness.post('/slack/events', click.body, click.headers);
    const [opened] = await harness.slack.waitForCalls('views.open', 1);
    const view = opened?.args.view as Json;
    const submission = {
      type: 'view_submission',
      team: { id: 'T0FAKETEAM', domain: 'fake' },
      user: { id: 'U0FAKEUSER', team_id: 'T0FAKETEAM' },
      api_app_id: 'A0FAKEAPP',
      view: {
        ...view,
        id: 'V1',
        state: { values: { paragraph1: { paragraph1: { type: 'plain_text_input', value: 'Eigener Absatz' } }, paragraph2: { paragraph2: { type: 'plain_text_input', value: 'Noch einer' } } } },
      },
    };
    const body = new URLSearchParams({ payload: JSON.stringify(submission) }).toString();
    assert.equal((await harness.post('/slack/events', body, signSlackRequest(signingSecret, body))).status, 200);
    const [update] = await harness.slack.waitForCalls('chat.update', 1);
    assert.equal(update?.args.ts, '1700000000.000100');
    assert.ok(stringsIn(update?.args.blocks).includes(LINK));
    assert.ok(stringsIn(update?.args.blocks).includes('Eigener Absatz'));
  });

  it('when the Slack channel is shared with another organisation, then the link is refused with the reason', async () => {
    harness.slack.setChannel({ id: 'C0FAKECHAN', name: 'partner-ops', is_ext_shared: true });
    const request = buildSlashCommandRequest({ signingSecret, text: 'request relationship' });
    await harness.post('/slack/events', request.body, request.headers);
    const [call] = await harness.slack.waitForCalls('chat.postEphemeral', 1);
    assert.match(JSON.stringify(call?.args.blocks), /outside people/);
    assert.doesNotMatch(JSON.stringify(call?.args), /admin\.microsoft\.com/);
    assert.equal(harness.slack.callsOf('chat.postMessage').length, 0);
  });
});
