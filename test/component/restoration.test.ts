import assert from 'node:assert/strict';
import { approvalLink } from '../../src/core/restoration/gdap.port.ts';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders } from '../../src/simulator/webhooks/index.ts';
import { DAY_MS, HELPDESK_ADMINISTRATOR, PLATFORMS, SECURITY_GROUP, startPlaybookHarness, type PlaybookHarness } from './support/playbook-harness.ts';

const events = createWebhookEventBuilders();
const customer = SAMPLE_CUSTOMERS[2]!;
const RELATIONSHIP_LINK = /granularAdminRelationships\/([0-9a-f-]{73})/;

for (const platform of PLATFORMS) {
  describe(`restoration playbook on ${platform}: from "admin rights removed" to "access is back"`, function () {
    this.timeout(90_000);
    let harness: PlaybookHarness;

    beforeEach(async () => {
      harness = await startPlaybookHarness(platform);
    });
    afterEach(() => harness.stop());

    const simulator = () => harness.bot.bot.simulator!.controls;
    const relationshipsOf = (tenantId: string) => simulator().gdapRelationships().filter((each) => each.customer.tenantId === tenantId);

    /** Removal → Start restoration → Request: the GDAP relationship waits for approval; returns its id. */
    async function requestRestoration(): Promise<string> {
      assert.equal(await harness.send(events.dapTerminated(customer.id)), 200);
      await harness.chat.waitFor(/removed your delegated admin rights/, 'post');
      await harness.chat.click('restoration.start', { customerId: customer.id, reason: 'admin-removed' });
      const proposed = await harness.chat.waitFor(/Step 2 of 3/, 'update');
      assert.match(proposed.json, /Global Reader, Helpdesk Administrator/);
      await harness.chat.click('restoration.request', { customerId: customer.id });
      const waiting = await harness.chat.waitFor(/Step 3 of 3/, 'update');
      const id = RELATIONSHIP_LINK.exec(waiting.json)?.[1];
      assert.ok(id, 'the card carries the approval link with the relationship id');
      assert.ok(waiting.json.includes(approvalLink(id)), 'the link is exactly the one built from the relationship id');
      assert.equal(relationshipsOf(customer.id).find((each) => each.id === id)?.status, 'approvalPending', 'created and locked for approval');
      return id;
    }

    it('walks removal → start → GDAP created and locked → approval link → reminders on days 3, 7 and 14 → approval → access assignment → "access is back", and history tells it all', async () => {
      const id = await requestRestoration();
      for (const [days, reminder] of [[3, /has not approved yet \(3 days\)/], [4, /still no approval after a week/], [7, /still no approval after two weeks/]] as const) {
        await harness.later(days);
        await harness.chat.waitFor(reminder, 'post');
        await harness.bot.bot.remindNow();
      }
      await harness.quiet();
      assert.equal(harness.chat.count(/Reminder:/, 'post'), 3, 'each reminder once, however often the timer runs');

      await simulator().runScenario('gdap-approve', id);
      await harness.chat.waitFor(/The customer approved: admin access is back/, 'post');
      const assignments = simulator().gdapAccessAssignments(id) ?? [];
      assert.deepEqual(assignments.map((each) => [each.securityGroupId, each.roles]), [[SECURITY_GROUP, [HELPDESK_ADMINISTRATOR]]]);
      await harness.chat.waitFor(new RegExp(`Admin access to ${customer.companyName} is back`), 'update');

      await harness.chat.say(`history ${customer.companyName}`);
      const history = await harness.chat.waitFor(/History of/);
      for (const line of [/removed your delegated admin rights/, /restoration started, by/, /GDAP relationship requested and locked/, /reminder: no approval after 14 days/, /admin access restored \(1 access assignments\)/]) {
        assert.match(history.json, line);
      }
    });

    it('when the approval event comes again (a second webhook, then the poll), then nothing changes: no new message, no second assignment', async () => {
      const id = await requestRestoration();
      // The poll's first look (it announces the seeded relationship that ends soon) sees the request still pending.
      await harness.bot.bot.reconcileNow();
      await simulator().runScenario('gdap-approve', id);
      await harness.chat.waitFor(/The customer approved: admin access is back/, 'post');
      // The channel is paced (about one message a second): quiet means nothing for longer than that.
      await harness.quiet(2_000);
      const before = harness.chat.messages().length;
      assert.equal(await harness.send(events.granularAdminRelationship('approved', id)), 200);
      await harness.bot.bot.reconcileNow();
      await harness.quiet(2_000);
      assert.equal(harness.chat.messages().length, before);
      assert.equal(simulator().gdapAccessAssignments(id)?.length, 1);
    });

    it('when the reseller relationship is gone too, then the invitation comes first and the playbook goes on to the GDAP request when the customer accepts', async () => {
      simulator().updateCustomer(customer.id, { relationshipToPartner: 'none' });
      assert.equal(await harness.send(events.dapTerminated(customer.id)), 200);
      await harness.chat.waitFor(/removed your delegated admin rights/, 'post');
      await harness.chat.click('restoration.start', { customerId: customer.id, reason: 'admin-removed' });
      const first = await harness.chat.waitFor(/Step 1 of 3/, 'update');
      assert.match(first.json, /Post the invitation/);
      assert.equal(relationshipsOf(customer.id).length, 0, 'no GDAP request before the reseller relationship');
      await harness.chat.click('restoration.invite', { customerId: customer.id });
      await harness.chat.waitFor(/invType=ResellerRelationship/);

      simulator().updateCustomer(customer.id, { relationshipToPartner: 'reseller' });
      assert.equal(await harness.send(events.resellerRelationshipAccepted(customer.id)), 200);
      await harness.chat.waitFor(/accepted your reseller relationship/);
      const deadline = Date.now() + 10_000;
      while (!/Step 2 of 3/.test(harness.chat.messages().at(-1)?.json ?? '') && Date.now() < deadline) {
        await harness.chat.say(`restore ${customer.id}`);
        await harness.quiet(300);
      }
      assert.match(harness.chat.messages().at(-1)?.json ?? '', /Step 2 of 3/);
      await harness.chat.click('restoration.request', { customerId: customer.id });
      await harness.chat.waitFor(/Step 3 of 3/, 'update');
      assert.equal(relationshipsOf(customer.id)[0]?.status, 'approvalPending');
      await harness.chat.say(`history ${customer.id}`);
      const history = await harness.chat.waitFor(/History of/);
      assert.match(history.json, /invitation posted for the customer \(reseller relationship\), by/);
      assert.match(history.json, /accepted the reseller relationship/);
      assert.match(history.json, /reseller relationship active again/);
    });

    it('when the customer does not approve within 90 days, then a last warning comes, the request expires and a new one can be started', async () => {
      const first = await requestRestoration();
      await harness.later(85);
      await harness.chat.waitFor(/Last warning: the request expires in 5 days/, 'post');
      await harness.later(5);
      const expired = await harness.chat.waitFor(/The approval request expired after 90 days/, 'post');
      assert.match(expired.json, /Start a new request/);
      assert.equal(relationshipsOf(customer.id).find((each) => each.id === first)?.status, 'expired');

      await harness.chat.click('restoration.restart', { customerId: customer.id });
      await harness.chat.waitFor(/Step 2 of 3/, 'update');
      await harness.chat.click('restoration.request', { customerId: customer.id });
      const again = await harness.chat.waitFor(/Step 3 of 3/, 'update');
      const second = RELATIONSHIP_LINK.exec(again.json)?.[1];
      assert.ok(second && second !== first, 'a new relationship, with its own link');
      assert.equal(relationshipsOf(customer.id).find((each) => each.id === second)?.status, 'approvalPending');
    });

    it('when someone who is not an admin clicks, then it is refused and nothing starts', async () => {
      assert.equal(await harness.send(events.dapTerminated(customer.id)), 200);
      await harness.chat.waitFor(/removed your delegated admin rights/, 'post');
      await harness.chat.click('restoration.start', { customerId: customer.id }, { admin: false });
      await harness.chat.waitFor(/Only bot admins can do that/);
      await harness.chat.click('restoration.request', { customerId: customer.id }, { admin: false });
      await harness.quiet(300);
      assert.equal(harness.chat.count(/Only bot admins can do that/), 2);
      assert.equal(harness.chat.count(/Step \d of 3/), 0);
      assert.equal(relationshipsOf(customer.id).length, 0);
    });

    it('when the bot restarts while waiting for approval, then the new one resumes at the same step, reminds once and finishes', async () => {
      const id = await requestRestoration();
      const relationship = relationshipsOf(customer.id).find((each) => each.id === id)!;
      await harness.restart();
      // Microsoft keeps the relationship across our restart; the new bot's simulator stands in for it.
      simulator().addGdapRelationship(relationship);
      await harness.chat.say(`restore ${customer.companyName}`);
      const resumed = await harness.chat.waitFor(/Step 3 of 3/);
      assert.ok(resumed.json.includes(approvalLink(id)), 'the same request, not a new one');
      assert.equal(relationshipsOf(customer.id).length, 1);

      await harness.later(3);
      await harness.chat.waitFor(/has not approved yet \(3 days\)/, 'post');
      await simulator().runScenario('gdap-approve', id);
      await harness.chat.waitFor(/The customer approved: admin access is back/, 'post');
      await harness.quiet();
      assert.equal(harness.chat.count(/Reminder:/, 'post'), 1);
      assert.equal(simulator().gdapAccessAssignments(id)?.length, 1);
      assert.ok(Date.now() - Date.parse(relationship.createdDateTime) >= 3 * DAY_MS);
    });
  });
}
