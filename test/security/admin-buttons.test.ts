import assert from 'node:assert/strict';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { SLACK_ADMIN_USER, SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from '../component/support/bot-under-test.ts';
import { buildBlockActionsRequest, buildSlashCommandRequest } from '../fakes/slack-request.ts';
import { buildAdaptiveCardInvoke, buildCardSubmitMessage, buildPersonalMessage, FAKE_USER_AAD_ID } from '../fakes/teams-activity.ts';
import { invitationIdIn } from './support/invitation-card.ts';
import { assertStoreUnchanged, observeStore } from './support/store-snapshot.ts';

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
    const answers = await assertStoreUnchanged(harness.storeFile, clicks);
    for (const answer of answers) assert.match(answer, ADMIN_ONLY);
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
      const invitationId = invitationIdIn(harness.connector.activities()[0]);
      const save = { action: 'invitation.save', invitationId, scope: 'tenant', paragraph1: 'Changed for everyone', paragraph2: 'x' };
      await assertRefusedWithoutChange(async () => [await teamsClick(save, NON_ADMIN_AAD, 'submit'), await teamsClick(save, NON_ADMIN_AAD, 'execute')]);
    });

    it('when the admin clicks subscribe, then it is done (so the refusals above fail for their own reason)', async () => {
      const { result, changed } = await observeStore(harness.storeFile, () => teamsClick({ action: 'command', text: 'subscribe all' }, FAKE_USER_AAD_ID, 'execute'));
      assert.doesNotMatch(result, ADMIN_ONLY);
      assert.ok(changed);
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
      const { result, changed } = await observeStore(harness.storeFile, () => slackClick({ action: 'command', text: 'subscribe gdap' }, SLACK_ADMIN_USER));
      assert.doesNotMatch(result, ADMIN_ONLY);
      assert.ok(changed);
    });
  });
});
