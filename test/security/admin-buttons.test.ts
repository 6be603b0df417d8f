import assert from 'node:assert/strict';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { SLACK_ADMIN_USER, SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from '../component/support/bot-under-test.ts';
import { buildBlockActionsRequest, buildSlashCommandRequest } from '../fakes/slack-request.ts';
import { buildAdaptiveCardInvoke, buildCardSubmitMessage, buildPersonalMessage } from '../fakes/teams-activity.ts';
import { describeSnapshot, snapshotStore } from './support/store-snapshot.ts';

const NON_ADMIN_AAD = '6e0b9c4d-1f2a-4b3c-9d8e-0f1a2b3c4d5e';
const NON_ADMIN_SLACK = 'U0NOTADMIN';
const customerId = SAMPLE_CUSTOMERS[0]!.id;
const ADMIN_ONLY = /Only bot admins can do that/;

/** Every button whose server side is for admins only, with the data its card binds to it. */
const ADMIN_BUTTONS: Array<Record<string, unknown>> = [
  { action: 'command', text: 'subscribe all' },
  { action: 'command', text: 'unsubscribe all' },
  { action: 'command', text: 'language de' },
  { action: 'command', text: `restore ${SAMPLE_CUSTOMERS[0]!.companyName}` },
  ...['restoration.start', 'restoration.choose', 'restoration.auto-extend', 'restoration.request', 'restoration.cancel', 'restoration.restart'].map((action) => ({ action, customerId, template: 'default' })),
];

describe('security: card buttons for admins are refused at click time for everyone else', function () {
  this.timeout(30_000);
  let harness: BotUnderTest;

  before(async () => {
    harness = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0' });
  });
  after(() => harness.stop());

  /** Runs `clicks`, then proves each answer was the admin-only refusal and the store did not change. */
  async function assertRefusedWithoutChange(clicks: () => Promise<string[]>): Promise<void> {
    const before = await snapshotStore(harness.storeFile);
    const answers = await clicks();
    for (const answer of answers) assert.match(answer, ADMIN_ONLY);
    const after = await snapshotStore(harness.storeFile);
    assert.equal(after, before, `the store changed: ${describeSnapshot(before)} → ${describeSnapshot(after)}`);
  }

  describe('Teams', () => {
    const teamsClick = async (value: Record<string, unknown>, userAadObjectId: string, kind: 'submit' | 'execute'): Promise<string> => {
      const base = { serviceUrl: harness.connector.url, replyToId: 'card-1', userAadObjectId };
      if (kind === 'execute') {
        const response = await harness.post('/api/messages', buildAdaptiveCardInvoke({ ...base, verb: String(value.action), data: value }));
        return response.text();
      }
      const count = harness.connector.activities().length;
      await harness.post('/api/messages', buildCardSubmitMessage({ ...base, value }));
      const activities = await harness.connector.waitForActivities(count + 1);
      return JSON.stringify(activities.slice(count));
    };

    before(async () => {
      // The non-admin has talked to the bot before: the conversation is known, so a click has nothing new to remember.
      await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'request relationship', userAadObjectId: NON_ADMIN_AAD }));
      await harness.connector.waitForActivities(1);
    });

    for (const kind of ['submit', 'execute'] as const) {
      it(`when a non-admin clicks any admin button (Action.${kind === 'submit' ? 'Submit' : 'Execute'}), then each click is refused and nothing changes`, () =>
        assertRefusedWithoutChange(() => Promise.all(ADMIN_BUTTONS.map((value) => teamsClick(value, NON_ADMIN_AAD, kind)))));
    }

    it('when a non-admin saves the invitation text for the whole tenant, then it is refused and nothing changes', async () => {
      const card = JSON.stringify(harness.connector.activities()[0]);
      const invitationId = /invitationId\\?"\s*:\s*\\?"([^"\\]+)/.exec(card)?.[1];
      assert.ok(invitationId);
      const save = { action: 'invitation.save', invitationId, scope: 'tenant', paragraph1: 'Changed for everyone', paragraph2: 'x' };
      await assertRefusedWithoutChange(async () => [await teamsClick(save, NON_ADMIN_AAD, 'submit'), await teamsClick(save, NON_ADMIN_AAD, 'execute')]);
    });

    it('when the admin clicks subscribe, then it is done (so the refusals above fail for their own reason)', async () => {
      const before = await snapshotStore(harness.storeFile);
      assert.doesNotMatch(await teamsClick({ action: 'command', text: 'subscribe all' }, '3a9d7e2c-6b4f-4c1a-8e5d-7f0a1b2c3d4e', 'execute'), ADMIN_ONLY);
      assert.notEqual(await snapshotStore(harness.storeFile), before);
    });
  });

  describe('Slack', () => {
    const slackClick = async (value: Record<string, unknown>, userId: string): Promise<string> => {
      const count = harness.slack.calls.length;
      const request = buildBlockActionsRequest({ signingSecret: SLACK_SIGNING_SECRET, actionId: String(value.action), value: JSON.stringify(value), userId });
      assert.equal((await harness.post('/slack/events', request.body, request.headers)).status, 200);
      const answered = () => harness.slack.calls.slice(count).filter((call) => call.method.startsWith('chat.'));
      while (answered().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      return JSON.stringify(answered().map((call) => call.args));
    };

    before(async () => {
      const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: 'help', userId: NON_ADMIN_SLACK });
      await harness.post('/slack/events', request.body, request.headers);
      await harness.slack.waitForCalls('chat.postEphemeral', 1);
    });

    it('when a non-admin clicks any admin button, then each click is refused and nothing changes', () =>
      assertRefusedWithoutChange(async () => {
        const answers: string[] = [];
        for (const value of ADMIN_BUTTONS) answers.push(await slackClick(value, NON_ADMIN_SLACK));
        return answers;
      }));

    it('when the admin clicks subscribe, then it is done (so the refusals above fail for their own reason)', async () => {
      const before = await snapshotStore(harness.storeFile);
      assert.doesNotMatch(await slackClick({ action: 'command', text: 'subscribe gdap' }, SLACK_ADMIN_USER), ADMIN_ONLY);
      assert.notEqual(await snapshotStore(harness.storeFile), before);
    });
  });
});
