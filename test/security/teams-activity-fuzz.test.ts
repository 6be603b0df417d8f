import fc from 'fast-check';
import { startBotUnderTest, type BotUnderTest } from '../component/support/bot-under-test.ts';
import { buildEnvelope, FAKE_TENANT_ID } from '../fakes/teams-activity.ts';
import { assertNoEffect, objectWith, post, RUNS } from './support/fuzz.ts';

describe('security: fuzzing Teams activities in development mode (no app id) from tenants that are not allowed', function () {
  this.timeout(60_000);
  let harness: BotUnderTest;

  before(async () => {
    harness = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0' });
  });
  after(() => harness.stop());

  it('when any activity shape arrives, then never a 5xx and nothing stored', async () => {
    const tenant = fc.uuid().filter((id) => id !== FAKE_TENANT_ID);
    const activity = fc
      .record({
        type: fc.constantFrom('message', 'invoke', 'conversationUpdate', 'installationUpdate', 'messageReaction', 'event', 'typing'),
        scope: fc.constantFrom('personal', 'groupChat', 'channel'),
        tenantId: tenant,
        fields: objectWith({
          text: fc.string({ maxLength: 200 }),
          name: fc.constantFrom('adaptiveCard/action', 'composeExtension/query', 'signin/verifyState'),
          value: fc.jsonValue({ maxDepth: 3 }),
          action: fc.constantFrom('add', 'remove', 'add-upgrade'),
          entities: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
          membersAdded: fc.array(fc.record({ id: fc.string() }), { maxLength: 2 }),
          replyToId: fc.string(),
        }),
      })
      .map(({ type, scope, tenantId, fields }) => ({ ...buildEnvelope(type, scope, { serviceUrl: harness.connector.url, tenantId }), ...fields }));
    await fc.assert(
      fc.asyncProperty(activity, async (value) => {
        // botbuilder answers an invoke that no handler answered with 501 Not Implemented, as Teams expects.
        const acceptable = (status: number) => status === 501 && value.type === 'invoke';
        await assertNoEffect(harness, () => post(`${harness.url}/api/messages`, Buffer.from(JSON.stringify(value)), { 'content-type': 'application/json' }), { acceptable });
      }),
      RUNS,
    );
  });
});
