import assert from 'node:assert/strict';
import { GLOBAL_ADMINISTRATOR, GLOBAL_READER, SEEDED_GDAP } from '../../src/simulator/gdap.ts';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { DAY_MS, PLATFORMS, startPlaybookHarness, type PlaybookHarness } from './support/playbook-harness.ts';

const contoso = SAMPLE_CUSTOMERS[1]!;
const schmidt = SAMPLE_CUSTOMERS[2]!;

for (const platform of PLATFORMS) {
  describe(`expiry watch on ${platform}: the expiring card's actions`, function () {
    this.timeout(60_000);
    let harness: PlaybookHarness;
    let withGlobalAdmin = '';

    beforeEach(async () => {
      harness = await startPlaybookHarness(platform, 'C0EXPIRY');
      const controls = harness.bot.bot.simulator!.controls;
      withGlobalAdmin = controls.addGdapRelationship({ customer: { tenantId: schmidt.id, displayName: schmidt.companyName }, displayName: 'Schmidt Vollzugriff', status: 'active', roles: [GLOBAL_READER, GLOBAL_ADMINISTRATOR], endDateTime: new Date(Date.now() + 20 * DAY_MS).toISOString() }).id;
      await harness.bot.bot.reconcileNow();
      await harness.chat.waitFor(new RegExp(`${contoso.companyName} ends in 10 days`), 'post');
      await harness.chat.waitFor(new RegExp(`${schmidt.companyName} ends in 20 days`), 'post');
    });
    afterEach(() => harness.stop());

    const autoExtendOf = (id: string) => harness.bot.bot.simulator!.controls.gdapRelationships().find((relationship) => relationship.id === id)?.autoExtendDuration ?? 'PT0S';
    const cardOf = (customer: string) => harness.chat.messages().find((message) => message.kind === 'post' && message.json.includes(`${customer} ends in`))!.json;

    it('when an admin clicks "Enable auto-extend", then Graph extends the relationship, the card says so in place and history names who did it; a non-admin is refused', async () => {
      assert.match(cardOf(contoso.companyName), /Enable auto-extend/);
      assert.match(cardOf(contoso.companyName), /Start a new relationship/);
      const click = { customerId: contoso.id, relationshipId: SEEDED_GDAP.expiringSoon };

      await harness.chat.click('gdap.auto-extend', click, { admin: false });
      await harness.chat.waitFor(/Only bot admins can do that/);
      assert.equal(autoExtendOf(SEEDED_GDAP.expiringSoon), 'PT0S');

      await harness.chat.click('gdap.auto-extend', click);
      const updated = await harness.chat.waitFor(new RegExp(`Auto-extend is on for the GDAP relationship with ${contoso.companyName}`), 'update');
      assert.doesNotMatch(updated.json, /Enable auto-extend/);
      assert.equal(autoExtendOf(SEEDED_GDAP.expiringSoon), 'P180D');

      await harness.chat.say(`history ${contoso.id}`);
      const history = await harness.chat.waitFor(/History of/);
      assert.match(history.json, /auto-extend enabled \(180 days more at the end\), by/);
      assert.match(history.json, /GDAP relationship ends in 10 days/);
    });

    it('when the relationship includes Global Administrator, then the card does not offer auto-extend and a forged click is refused with the reason', async () => {
      assert.doesNotMatch(cardOf(schmidt.companyName), /Enable auto-extend/);
      assert.match(cardOf(schmidt.companyName), /Start a new relationship/);
      await harness.chat.click('gdap.auto-extend', { customerId: schmidt.id, relationshipId: withGlobalAdmin });
      await harness.chat.waitFor(/Auto-extend isn.t allowed with Global Administrator/);
      assert.equal(autoExtendOf(withGlobalAdmin), 'PT0S');
      // A relationship of another customer than the card's is not touched either.
      await harness.chat.click('gdap.auto-extend', { customerId: schmidt.id, relationshipId: SEEDED_GDAP.expiringSoon });
      await harness.chat.waitFor(/Partner Center doesn.t know that/);
      assert.equal(autoExtendOf(SEEDED_GDAP.expiringSoon), 'PT0S');
    });

    it('when an admin clicks "Start a new relationship", then the playbook proposes a new GDAP relationship for that customer, and the next poll sends no second warning', async () => {
      await harness.chat.click('restoration.start', { customerId: contoso.id, reason: 'gdap-expiring' });
      const proposed = await harness.chat.waitFor(/Step 2 of 3/, 'update');
      assert.match(proposed.json, /ends soon/);
      assert.match(proposed.json, /Request GDAP relationship/);
      await harness.bot.bot.reconcileNow();
      await harness.quiet(1_500);
      assert.equal(harness.chat.count(new RegExp(`${contoso.companyName} ends in`), 'post'), 1);
    });
  });
}
