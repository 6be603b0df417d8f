import assert from 'node:assert/strict';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders } from '../../src/simulator/webhooks/index.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import { buildBlockActionsRequest, buildSlashCommandRequest } from '../fakes/slack-request.ts';
import { SLACK_ADMIN_USER, SLACK_SIGNING_SECRET, startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';
import { webhookClient } from './support/webhook-client.ts';

const events = createWebhookEventBuilders();
const CHANNEL = 'C0RESTORE';
const customer = SAMPLE_CUSTOMERS[2]!;
const SECURITY_GROUP = '11111111-2222-4333-8444-555555555555';
const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

describe('restoration playbook: from "admin rights removed" to "access is back"', function () {
  this.timeout(60_000);
  let harness: BotUnderTest;

  beforeEach(async () => {
    harness = await startBotUnderTest(
      { POLL_INTERVAL_MINUTES: '0', GDAP_ACCESS_ASSIGNMENTS: `${SECURITY_GROUP}=${HELPDESK_ADMINISTRATOR}` },
      { deliveryTuning: { idleMs: 50, claimGapMs: 1 } },
    );
    const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: 'subscribe removed', channelId: CHANNEL, userId: SLACK_ADMIN_USER });
    await harness.post('/slack/events', request.body, request.headers);
    await harness.slack.waitForCalls('chat.postMessage', 1);
  });
  afterEach(() => harness.stop());

  const said = (pattern: RegExp, method = 'chat.postMessage'): SlackCall[] =>
    harness.slack.calls.filter((call) => call.method === method && call.status === 200 && pattern.test(JSON.stringify(call.args.blocks ?? call.args)));

  async function click(actionId: string, value: Record<string, unknown>, userId = SLACK_ADMIN_USER): Promise<void> {
    const request = buildBlockActionsRequest({ signingSecret: SLACK_SIGNING_SECRET, actionId, value: JSON.stringify({ action: actionId, ...value }), channelId: CHANNEL, userId });
    const response = await harness.post('/slack/events', request.body, request.headers);
    assert.equal(response.status, 200);
  }

  async function waitFor(read: () => SlackCall[], timeoutMs = 10_000): Promise<SlackCall[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = read();
      if (found.length > 0) return found;
      if (Date.now() > deadline) throw new Error(`timed out; calls: ${harness.slack.calls.map((call) => call.method).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('walks removal → Start restoration → GDAP request locked with the approval link → approval → access assignment → "access is back"', async () => {
    assert.equal(await webhookClient(harness)(events.dapTerminated(customer.id)), 200);
    await waitFor(() => said(/removed your delegated admin rights/));

    await click('restoration.start', { customerId: customer.id, reason: 'admin-removed' });
    const [proposed] = await waitFor(() => said(/Step 2 of 3/, 'chat.update').concat(said(/Step 2 of 3/, 'response_url')));
    assert.match(JSON.stringify(proposed?.args), /Global Reader, Helpdesk Administrator/);

    await click('restoration.request', { customerId: customer.id });
    const [waiting] = await waitFor(() => said(/Step 3 of 3/, 'chat.update').concat(said(/Step 3 of 3/, 'response_url')));
    const link = /granularAdminRelationships\/([0-9a-f-]{73})/.exec(JSON.stringify(waiting?.args))?.[1];
    assert.ok(link, 'the card carries the approval link with the relationship id');
    const relationship = harness.bot.simulator!.controls.gdapRelationships().find((each) => each.id === link);
    assert.equal(relationship?.status, 'approvalPending');
    assert.equal(relationship?.customer.tenantId, customer.id);

    await harness.bot.simulator!.controls.runScenario('gdap-approve', link);
    await waitFor(() => said(/The customer approved: admin access is back/));
    const assignments = harness.bot.simulator!.controls.gdapAccessAssignments(link) ?? [];
    assert.equal(assignments.length, 1);
    assert.equal(assignments[0]?.securityGroupId, SECURITY_GROUP);
    assert.deepEqual(assignments[0]?.roles, [HELPDESK_ADMINISTRATOR]);
    await waitFor(() => said(new RegExp(`Admin access to ${customer.companyName} is back`), 'chat.update'));
  });

  it('when someone who is not an admin clicks, then it is refused and nothing starts', async () => {
    await click('restoration.start', { customerId: customer.id }, 'U0NOTADMIN');
    await waitFor(() => said(/Only bot admins can do that/, 'chat.postEphemeral').concat(said(/Only bot admins can do that/, 'response_url')));
    assert.equal(harness.bot.simulator!.controls.gdapRelationships().filter((each) => each.customer.tenantId === customer.id).length, 0);
  });
});
