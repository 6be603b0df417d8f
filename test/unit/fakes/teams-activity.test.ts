import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TeamsActivityHandler,
  teamsGetChannelId,
  teamsGetTeamInfo,
  teamsGetTenant,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import { createFakeBotConnector, type FakeBotConnector } from '../../fakes/fake-bot-connector.ts';
import {
  buildAdaptiveCardInvoke,
  buildBotAddedUpdate,
  buildCardSubmitMessage,
  buildChannelMessage,
  buildGroupChatMessage,
  buildInstallationUpdate,
  buildPersonalMessage,
  FAKE_TENANT_ID,
  type TeamsActivityJson,
} from '../../fakes/teams-activity.ts';
import { toKeyPaths } from './key-paths.ts';

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/teams/${name}.json`, import.meta.url), 'utf8'));
}

/** Records which TeamsActivityHandler hook botbuilder chose for each activity, and with what. */
class RecordingBot extends TeamsActivityHandler {
  readonly hooks: Array<[string, unknown]> = [];
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      this.hooks.push(['message', context.activity.value ?? TurnContext.removeRecipientMention(context.activity)?.trim()]);
      await next();
    });
    this.onTeamsMembersAddedEvent(async (members, team, _context, next) => {
      this.hooks.push(['membersAdded', { members: members.map((m) => m.id), team: team?.name }]);
      await next();
    });
    this.onInstallationUpdateAdd(async (_context, next) => {
      this.hooks.push(['installAdd', null]);
      await next();
    });
    this.onInstallationUpdateRemove(async (_context, next) => {
      this.hooks.push(['installRemove', null]);
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(_context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    this.hooks.push(['adaptiveCardAction', { verb: value.action.verb, data: value.action.data }]);
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: {} as never };
  }
}

describe('Teams activity builders, as botbuilder understands them', () => {
  let fakeConnector: FakeBotConnector;
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));

  before(async () => {
    fakeConnector = createFakeBotConnector();
    await fakeConnector.start();
  });
  after(() => fakeConnector.stop());

  async function runThroughBot(activity: TeamsActivityJson): Promise<RecordingBot> {
    const bot = new RecordingBot();
    await adapter.processActivityDirect('', activity as unknown as Activity, (context) => bot.run(context));
    return bot;
  }

  it('dispatches messages from every scope, with the bot mention removable in groups and channels', async () => {
    const serviceUrl = fakeConnector.url;
    for (const build of [buildPersonalMessage, buildGroupChatMessage, buildChannelMessage]) {
      const bot = await runThroughBot(build({ serviceUrl, text: 'status contoso' }));
      assert.deepEqual(bot.hooks, [['message', 'status contoso']], build.name);
    }
  });

  it('carries tenant, team and channel where botbuilder helpers look for them', () => {
    const activity = buildChannelMessage({ serviceUrl: 'http://x', text: 'x', teamName: 'Ops' }) as unknown as Activity;
    assert.equal(teamsGetTenant(activity)?.id, FAKE_TENANT_ID);
    assert.equal(activity.conversation.tenantId, FAKE_TENANT_ID);
    assert.equal(teamsGetTeamInfo(activity)?.name, 'Ops');
    assert.match(teamsGetChannelId(activity) ?? '', /^19:.*@thread\.tacv2$/);
    assert.equal(activity.conversation.conversationType, 'channel');
  });

  it('dispatches bot-added and installation updates', async () => {
    const serviceUrl = fakeConnector.url;
    const added = await runThroughBot(buildBotAddedUpdate({ serviceUrl, scope: 'channel', teamName: 'Ops' }));
    assert.deepEqual(added.hooks, [['membersAdded', { members: ['28:8c5e3b1a-2f4d-4e6a-9b7c-1d0e2f3a4b5c'], team: 'Ops' }]]);
    assert.deepEqual((await runThroughBot(buildInstallationUpdate({ serviceUrl, action: 'add' }))).hooks, [['installAdd', null]]);
    assert.deepEqual((await runThroughBot(buildInstallationUpdate({ serviceUrl, action: 'remove', scope: 'channel' }))).hooks, [['installRemove', null]]);
  });

  it('dispatches Action.Execute as an adaptiveCard/action invoke and Action.Submit as a message with value', async () => {
    const serviceUrl = fakeConnector.url;
    const invoke = await runThroughBot(buildAdaptiveCardInvoke({ serviceUrl, replyToId: '1', verb: 'refresh', data: { id: 7 } }));
    assert.deepEqual(invoke.hooks, [['adaptiveCardAction', { verb: 'refresh', data: { id: 7 } }]]);
    const submit = await runThroughBot(buildCardSubmitMessage({ serviceUrl, replyToId: '1', value: { action: 'accept' } }));
    assert.deepEqual(submit.hooks, [['message', { action: 'accept' }]]);
  });

  it('puts card actions in a channel into the thread of the card', () => {
    const invoke = buildAdaptiveCardInvoke({ serviceUrl: 'http://x', scope: 'channel', replyToId: '1761812345678', verb: 'v' });
    assert.match(invoke.conversation.id, /;messageid=1761812345678$/);
  });

  it('builds activities with the same shape as the recorded fixtures', () => {
    const serviceUrl = 'http://x';
    const shapes: Array<[string, TeamsActivityJson]> = [
      ['message-personal', buildPersonalMessage({ serviceUrl, text: 'x' })],
      ['message-group-chat', buildGroupChatMessage({ serviceUrl, text: 'x' })],
      ['message-channel', buildChannelMessage({ serviceUrl, text: 'x' })],
      ['conversation-update-bot-added-personal', buildBotAddedUpdate({ serviceUrl })],
      ['conversation-update-bot-added-team', buildBotAddedUpdate({ serviceUrl, scope: 'channel' })],
      ['installation-update-add', buildInstallationUpdate({ serviceUrl, action: 'add' })],
      ['installation-update-remove', buildInstallationUpdate({ serviceUrl, action: 'remove', scope: 'channel' })],
      ['invoke-adaptive-card-action', buildAdaptiveCardInvoke({ serviceUrl, replyToId: '1', verb: 'v', data: { customerTenantId: 't' } })],
      ['message-card-submit', buildCardSubmitMessage({ serviceUrl, replyToId: '1', value: { action: 'a', customerTenantId: 't' } })],
    ];
    for (const [fixture, built] of shapes) assert.deepEqual(toKeyPaths(built), toKeyPaths(readFixture(fixture)), fixture);
  });

  it('gives every built activity a fresh id and carries the locale', () => {
    const first = buildPersonalMessage({ serviceUrl: 'http://x', text: 'x', locale: 'de-DE' });
    const second = buildPersonalMessage({ serviceUrl: 'http://x', text: 'x' });
    assert.notEqual(first.id, second.id);
    assert.equal(first.locale, 'de-DE');
  });
});
