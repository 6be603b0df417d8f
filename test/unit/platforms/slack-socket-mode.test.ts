import assert from 'node:assert/strict';
import { toConversationKey } from '../../../src/core/chat.ts';
import { createCommandRegistry } from '../../../src/core/commands/command-registry.ts';
import { createConversationSettings } from '../../../src/core/conversations/conversation-settings.ts';
import { createChatHandler } from '../../../src/core/handle-chat-event.ts';
import type { Store } from '../../../src/core/ports.ts';
import { createInflightTracker } from '../../../src/http/inflight.ts';
import { createConversationReferences, type ConversationReferences } from '../../../src/platforms/conversation-references.ts';
import { startSlackSocketMode, type SlackSocketMode } from '../../../src/platforms/slack/socket-mode.ts';
import { createStore } from '../../../src/store/create-store.ts';
import { createFakeSlackApi, type FakeSlackApi } from '../../fakes/fake-slack-api.ts';
import { serveConnectionsOpen, startFakeSocketMode, type FakeSocketMode } from '../../fakes/fake-slack-socket-mode.ts';
import { DEFAULT_IDENTITY } from '../../fakes/slack-api-methods.ts';
import { buildAppMentionEvent, buildBlockActionsPayload, buildDirectMessageEvent, buildEventCallbackPayload, buildSlashCommandPayload } from '../../fakes/slack-payloads.ts';
import { captureLog, type CapturedLog } from '../../support/log-capture.ts';

const APP_TOKEN = 'xapp-1-A0FAKEAPP-123-socketsecret';
const BOT_TOKEN = 'xoxb-socket-mode-bot';
const TEAM = DEFAULT_IDENTITY.team_id;
const OTHER_TEAM = 'T0OUTSIDER';

describe('Slack over Socket Mode (fake Socket Mode server on loopback)', function () {
  this.timeout(20_000);
  let store: Store;
  let slack: FakeSlackApi;
  let socket: FakeSocketMode;
  let references: ConversationReferences;
  let logs: CapturedLog;
  let running: SlackSocketMode[];

  /** The real core chat handler (allow-list, commands) behind the Socket Mode receiver. */
  function start(appToken = APP_TOKEN): Promise<SlackSocketMode> {
    const settings = createConversationSettings(store);
    const handleChat = createChatHandler({
      commands: createCommandRegistry({ settings, invitations: {} } as never),
      settings,
      allowedTenants: { teams: [], slack: [TEAM] },
      admins: [],
      defaultLocale: 'en',
    });
    const options = { token: BOT_TOKEN, apiUrl: slack.apiUrl, appToken, store, inflight: createInflightTracker(), handleChat, references, allowedTeams: [TEAM], defaultLocale: 'en' as const, log: logs.log, clientPingTimeoutMs: 300 };
    return startSlackSocketMode(options).then((started) => {
      running.push(started);
      return started;
    });
  }

  beforeEach(async () => {
    store = await createStore('sqlite://:memory:');
    references = createConversationReferences(store);
    logs = captureLog('debug');
    slack = createFakeSlackApi({ token: BOT_TOKEN });
    await slack.start();
    socket = await startFakeSocketMode();
    serveConnectionsOpen(slack, socket, APP_TOKEN);
    running = [];
  });
  afterEach(async () => {
    await Promise.all(running.map((started) => started.stop()));
    await socket.stop();
    await slack.stop();
    await store.close();
  });

  it('when started, then it opens the connection with the app-level token and is connected once Slack says hello', async () => {
    await (await start()).connected;
    const opens = slack.callsOf('apps.connections.open');
    assert.equal(opens.length, 1);
    assert.equal(opens[0]?.token, APP_TOKEN);
    assert.equal(slack.callsOf('auth.test')[0]?.token, BOT_TOKEN, 'the Web API still uses the bot token');
    assert.equal(socket.openConnections, 1);
  });

  it('when /partner help arrives as an envelope, then it is acked and the help goes to the user in that channel', async () => {
    await (await start()).connected;
    const envelope = socket.sendEnvelope('slash_commands', buildSlashCommandPayload({ text: 'help', responseUrl: slack.responseUrl() }));
    await socket.waitForAck(envelope);
    const [reply] = await slack.waitForCalls('chat.postEphemeral', 1);
    assert.deepEqual([reply?.args.channel, reply?.args.user], ['C0FAKECHAN', 'U0FAKEUSER']);
    assert.match(JSON.stringify(reply?.args.blocks), /request relationship/);
  });

  it('when a direct message and a button click arrive, then they reach the same listeners as over HTTP', async () => {
    await (await start()).connected;
    const message = socket.sendEnvelope('events_api', buildEventCallbackPayload(buildDirectMessageEvent({ text: 'help' }), {}));
    await socket.waitForAck(message);
    const [direct] = await slack.waitForCalls('chat.postMessage', 1);
    assert.equal(direct?.args.channel, 'D0FAKEDM');
    const click = socket.sendEnvelope('interactive', buildBlockActionsPayload({ actionId: 'command', value: JSON.stringify({ action: 'command', text: 'help' }), responseUrl: slack.responseUrl() }));
    await socket.waitForAck(click);
    await slack.waitForCalls('chat.postEphemeral', 1);
  });

  it('when Slack delivers the same event again (a retry), then both are acked and the bot answers once', async () => {
    await (await start()).connected;
    const payload = buildEventCallbackPayload(buildAppMentionEvent({ text: 'help' }), { eventId: 'Ev0SOCKETRETRY' });
    const first = socket.sendEnvelope('events_api', payload);
    await socket.waitForAck(first);
    await slack.waitForCalls('chat.postEphemeral', 1);
    const retry = socket.sendEnvelope('events_api', payload, { retry_attempt: 1, retry_reason: 'timeout' });
    await socket.waitForAck(retry);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(slack.callsOf('chat.postEphemeral').length, 1);
  });

  it('when a workspace that is not allowed mentions the bot, then it gets the refusal and, unlike an allowed one, is not remembered as a notification target', async () => {
    await (await start()).connected;
    const keyOf = (teamId: string) => toConversationKey({ platform: 'slack', tenantId: teamId, conversationId: 'C0FAKECHAN' });
    const allowed = socket.sendEnvelope('events_api', buildEventCallbackPayload(buildAppMentionEvent({ text: 'help' }), {}));
    await socket.waitForAck(allowed);
    await slack.waitForCalls('chat.postEphemeral', 1);
    assert.ok(await references.get(keyOf(TEAM)), 'the allowed channel is remembered');

    const outsider = socket.sendEnvelope('events_api', buildEventCallbackPayload(buildAppMentionEvent({ text: 'help', teamId: OTHER_TEAM }), { teamId: OTHER_TEAM }));
    await socket.waitForAck(outsider);
    const refusal = (await slack.waitForCalls('chat.postEphemeral', 2))[1];
    assert.match(JSON.stringify(refusal?.args), /can't use this bot/);
    assert.equal(await references.get(keyOf(OTHER_TEAM)), undefined);
  });

  it('when Slack asks the bot to reconnect, then it opens a new connection and keeps answering on it', async () => {
    await (await start()).connected;
    socket.askToReconnect();
    await socket.waitForConnections(2);
    assert.equal(slack.callsOf('apps.connections.open').length, 2);
    const envelope = socket.sendEnvelope('slash_commands', buildSlashCommandPayload({ text: 'help', responseUrl: slack.responseUrl() }));
    await socket.waitForAck(envelope);
    await slack.waitForCalls('chat.postEphemeral', 1);
  });

  it('when stopped, then the socket closes and it does not reconnect', async () => {
    const started = await start();
    await started.connected;
    await started.stop();
    await socket.waitUntilClosed();
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(socket.connectionCount, 1);
    assert.equal(slack.callsOf('apps.connections.open').length, 1);
  });

  it('when Slack refuses the app token, then connected rejects, the log says to check SLACK_APP_TOKEN, and no secret or payload is logged', async () => {
    const started = await start('xapp-wrong-token');
    await assert.rejects(started.connected, /invalid_auth/);
    assert.match(logs.text(), /check SLACK_APP_TOKEN/);
    assert.equal(socket.connectionCount, 0);
    for (const secret of ['xapp-wrong-token', APP_TOKEN, BOT_TOKEN]) assert.ok(!logs.text().includes(secret), 'tokens stay out of the logs');
  });

  it('when envelopes flow at debug level, then what users typed and their response URLs stay out of the logs', async () => {
    await (await start()).connected;
    const responseUrl = slack.responseUrl('secret-response-url');
    const envelope = socket.sendEnvelope('slash_commands', buildSlashCommandPayload({ text: 'status Fabrikam-Confidential', responseUrl }));
    await socket.waitForAck(envelope);
    await slack.waitForCalls('chat.postEphemeral', 1);
    assert.ok(!logs.text().includes('Fabrikam-Confidential'), logs.text().slice(0, 2000));
    assert.ok(!logs.text().includes('secret-response-url'));
  });
});
