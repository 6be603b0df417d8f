import assert from 'node:assert/strict';
import { serveConnectionsOpen, startFakeSocketMode, type FakeSocketMode } from '../fakes/fake-slack-socket-mode.ts';
import { buildSlashCommandPayload } from '../fakes/slack-payloads.ts';
import { SLACK_BOT_TOKEN, startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';

const APP_TOKEN = 'xapp-1-A0FAKEAPP-123-componentsecret';

describe('the bot with SLACK_APP_TOKEN: Slack over Socket Mode, no /slack/events', function () {
  this.timeout(30_000);
  let harness: BotUnderTest;
  let socket: FakeSocketMode;

  before(async () => {
    socket = await startFakeSocketMode();
    harness = await startBotUnderTest({ SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '', POLL_INTERVAL_MINUTES: '0' });
    serveConnectionsOpen(harness.slack, socket, APP_TOKEN);
    await socket.waitForConnections(1, 10_000);
  });
  after(async () => {
    await harness.stop();
    await socket.stop();
  });

  it('when /partner help arrives over the socket, then it is acked and the help reaches the user with the bot token', async () => {
    const envelope = socket.sendEnvelope('slash_commands', buildSlashCommandPayload({ text: 'help' }));
    await socket.waitForAck(envelope);
    // Help is for the one who asked: ephemeral in a channel.
    const [call] = await harness.slack.waitForCalls('chat.postEphemeral', 1);
    assert.equal(call?.token, SLACK_BOT_TOKEN);
    assert.match(JSON.stringify(call?.args.blocks), /What I can do/);
  });

  it('when something posts to /slack/events, then nothing answers there (the route is not served)', async () => {
    const response = await harness.post('/slack/events', 'token=x');
    assert.equal(response.status, 404);
  });
});
