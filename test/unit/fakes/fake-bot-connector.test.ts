import assert from 'node:assert/strict';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext, type Activity } from 'botbuilder';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { createFakeBotConnector, type FakeBotConnector } from '../../fakes/fake-bot-connector.ts';
import { buildChannelMessage, buildPersonalMessage, FAKE_PERSONAL_CONVERSATION_ID } from '../../fakes/teams-activity.ts';

const CHANNEL_CONVERSATION = '19:abc@thread.tacv2;messageid=1700000000001';

describe('fake Bot Connector, driven by botframework-connector and botbuilder CloudAdapter', () => {
  let fakeConnector: FakeBotConnector;
  let client: ConnectorClient;

  before(async () => {
    fakeConnector = createFakeBotConnector();
    const { url } = await fakeConnector.start();
    // An empty app id makes the credentials skip the token request: the anonymous local-mode setup.
    client = new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: url });
  });
  afterEach(() => fakeConnector.reset());
  after(() => fakeConnector.stop());

  it('records a send with the conversation id decoded and answers 201 with a new id', async () => {
    const sent = await client.conversations.sendToConversation(CHANNEL_CONVERSATION, { type: 'message', text: 'hello' });
    assert.match(sent.id, /^\d{13}$/);
    const [call] = fakeConnector.calls;
    assert.equal(call?.route, 'send');
    assert.equal(call?.conversationId, CHANNEL_CONVERSATION);
    assert.equal(call?.status, 201);
    assert.match(call?.path ?? '', /19%3Aabc%40thread\.tacv2%3Bmessageid%3D1700000000001/);
    assert.deepEqual(fakeConnector.activities().map((activity) => activity.text), ['hello']);
  });

  it('records reply, update and delete on the addressed activity', async () => {
    const conversation = 'a:1xyz';
    const reply = await client.conversations.replyToActivity(conversation, '1700000000042', { type: 'message', text: 'reply' });
    const updated = await client.conversations.updateActivity(conversation, reply.id, { type: 'message', id: reply.id, text: 'edited' });
    await client.conversations.deleteActivity(conversation, reply.id);

    assert.equal(updated.id, reply.id);
    assert.deepEqual(
      fakeConnector.calls.map((call) => [call.route, call.conversationId, call.activityId, call.status]),
      [
        ['reply', conversation, '1700000000042', 201],
        ['update', conversation, reply.id, 200],
        ['delete', conversation, reply.id, 200],
      ],
    );
    assert.deepEqual(fakeConnector.activities().map((activity) => activity.text), ['reply', 'edited']);
  });

  it('creates conversations like Teams: a: ids for 1:1, thread ids for channels', async () => {
    const personal = await client.conversations.createConversation({
      isGroup: false,
      bot: { id: '28:bot', name: 'Bot' },
      members: [{ id: '29:user', name: 'User' }],
      tenantId: 'tenant',
      activity: { type: 'message', text: 'first' } as Activity,
    } as never);
    const channel = await client.conversations.createConversation({
      isGroup: true,
      bot: { id: '28:bot', name: 'Bot' },
      channelData: { channel: { id: '19:general@thread.tacv2' } },
      activity: { type: 'message', text: 'announcement' } as Activity,
    } as never);

    assert.match(personal.id, /^a:/);
    assert.ok(personal.activityId);
    assert.equal(personal.serviceUrl, fakeConnector.url);
    assert.equal(channel.id, `19:general@thread.tacv2;messageid=${channel.activityId}`);
    assert.deepEqual(fakeConnector.activities().map((activity) => activity.text), ['first', 'announcement']);
  });

  it('answers faults with the Teams error body; the client sees the status', async () => {
    fakeConnector.failNext({ status: 403 }, 1, (call) => call.conversationId === 'a:removed');
    await assert.rejects(client.conversations.sendToConversation('a:removed', { type: 'message', text: 'x' }), (error: { statusCode?: number; code?: string }) => {
      assert.equal(error.statusCode, 403);
      assert.equal(error.code, 'BotNotInConversationRoster');
      return true;
    });
    assert.deepEqual(fakeConnector.activities(), [], 'a refused activity was not delivered');
  });

  it('lets the real client retry a 429 after Retry-After and records both attempts', async () => {
    fakeConnector.failNext({ status: 429, headers: { 'retry-after': '0' } });
    await client.conversations.sendToConversation('a:busy', { type: 'message', text: 'eventually' });
    assert.deepEqual(fakeConnector.calls.map((call) => call.status), [429, 201]);
    assert.equal(fakeConnector.activities().length, 1);
  });

  it('serves members added with addMember to TeamsInfo-style lookups, 404 otherwise', async () => {
    fakeConnector.addMember({ id: '29:ada', aadObjectId: 'aad-ada', name: 'Ada', email: 'ada@contoso.example', tenantId: 't' });
    const member = await client.conversations.getConversationMember('a:1xyz', 'aad-ada');
    assert.equal(member.name, 'Ada');
    await assert.rejects(client.conversations.getConversationMember('a:1xyz', '29:nobody'), { statusCode: 404 });
  });

  it('receives CloudAdapter replies to an inbound Teams activity and proactive sends from a stored reference', async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const inbound = buildPersonalMessage({ serviceUrl: fakeConnector.url, text: 'help' }) as unknown as Activity;
    let reference: ReturnType<typeof TurnContext.getConversationReference> | undefined;
    await adapter.processActivityDirect('', inbound, async (context) => {
      reference = TurnContext.getConversationReference(context.activity);
      await context.sendActivity(`echo: ${context.activity.text}`);
    });
    assert.ok(reference);
    await adapter.continueConversationAsync('', reference, async (context) => {
      await context.sendActivity('proactive');
    });

    const [reply, proactive] = await fakeConnector.waitForActivities(2, 2000);
    assert.equal(reply?.text, 'echo: help');
    assert.equal(reply?.replyToId, inbound.id);
    assert.equal(proactive?.text, 'proactive');
    // botbuilder posts even the proactive message as a reply (to its continuation event's id).
    assert.deepEqual(fakeConnector.calls.map((call) => [call.route, call.conversationId]), [
      ['reply', FAKE_PERSONAL_CONVERSATION_ID],
      ['reply', FAKE_PERSONAL_CONVERSATION_ID],
    ]);
    assert.equal(fakeConnector.calls[0]?.activityId, inbound.id);
  });

  it('routes a channel reply into the thread of the mention', async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const inbound = buildChannelMessage({ serviceUrl: fakeConnector.url, text: 'status' }) as unknown as Activity;
    await adapter.processActivityDirect('', inbound, async (context) => {
      await context.sendActivity('on it');
    });
    const [call] = fakeConnector.calls;
    assert.equal(call?.conversationId, inbound.conversation.id);
    assert.match(call?.conversationId ?? '', /;messageid=/);
  });

  it('drops the connection on demand and delays answers', async () => {
    // Plain fetch: the connector client would retry a reset socket with seconds of backoff.
    fakeConnector.failNext({ drop: true });
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' };
    await assert.rejects(fetch(`${fakeConnector.url}/v3/conversations/a%3A1/activities`, post), TypeError);
    assert.deepEqual(fakeConnector.calls.map((call) => call.status), [0]);

    fakeConnector.reset();
    fakeConnector.failNext({ delayMs: 150 });
    const started = Date.now();
    await client.conversations.sendToConversation('a:1', { type: 'message', text: 'slow' });
    assert.ok(Date.now() - started >= 140);
  });

  it('explains a waitForActivities timeout with every call that did arrive', async () => {
    fakeConnector.failNext({ status: 404 });
    await assert.rejects(client.conversations.sendToConversation('a:gone', { type: 'message', text: 'hello there' }));
    await assert.rejects(fakeConnector.waitForActivities(1, 50), (error: Error) => {
      assert.match(error.message, /expected 1 delivered activities, got 0/);
      assert.match(error.message, /POST \/v3\/conversations\/a%3Agone\/activities -> 404 send text="hello there"/);
      return true;
    });
  });
});
