import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConversationAddress } from '../../../../src/core/chat.ts';
import { toConversationKey } from '../../../../src/core/chat.ts';
import type { GdapRelationship } from '../../../../src/core/events/directory.port.ts';
import { createFactLedger } from '../../../../src/core/events/facts.ts';
import { createEventRecorder } from '../../../../src/core/events/ingest-event.ts';
import type { DomainEvent } from '../../../../src/core/events/partner-center-event.ts';
import { createReconciler } from '../../../../src/core/events/reconcile.ts';
import { createUnidentifiedRemovals } from '../../../../src/core/events/unidentified-removals.ts';
import { createSubscriptionDirectory } from '../../../../src/core/notifications/subscriptions.ts';
import type { Customer } from '../../../../src/core/relationships/partner-center.port.ts';
import { createLogger } from '../../../../src/logger.ts';
import type { BotStore } from '../../../../src/store/bot-store.ts';
import { createStore } from '../../../../src/store/create-store.ts';
import { createTestPrefix } from '../../../contract/store-backends.ts';
import { requireService, TEST_REDIS_URL } from '../../../support/services.ts';

const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-11-01T06:00:00Z');
const CUSTOMER = '4b2a6e33-8791-4386-bd2b-0d55baf25039';
const ENDING = `2a9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d61-${CUSTOMER}`;
const EXTENDING = `9c8b7a6f-5e4d-4c3b-a2a1-0f9e8d7c6b62-${CUSTOMER}`;
const ADDRESS: ConversationAddress = { platform: 'slack', tenantId: 'T0EXPIRY', conversationId: 'C0EXPIRY', kind: 'channel' };

/** Partner Center and Graph as reconciliation reads them: one customer, one relationship that ends, one that auto-extends. */
function createDirectory(now: () => number) {
  const customer: Customer = { id: CUSTOMER, companyName: 'Fabrikam', domain: 'fabrikam.de', relationshipToPartner: 'reseller' };
  const end = new Date(T0 + 31 * DAY_MS).toISOString();
  const relationships: GdapRelationship[] = [
    { id: ENDING, displayName: 'Fabrikam Support', status: 'active', customer: { tenantId: CUSTOMER, displayName: 'Fabrikam' }, roles: [], endDateTime: end, autoExtendDuration: 'PT0S' },
    { id: EXTENDING, displayName: 'Fabrikam Auto', status: 'active', customer: { tenantId: CUSTOMER, displayName: 'Fabrikam' }, roles: [], endDateTime: new Date(T0 + 5 * DAY_MS).toISOString(), autoExtendDuration: 'P180D' },
  ];
  return {
    async *listCustomers() {
      yield [customer];
    },
    async *listGdapRelationships() {
      // Graph stops calling it active after the end; the test never gets there.
      yield relationships.filter((relationship) => Date.parse(relationship.endDateTime ?? '') > now());
    },
    async *listAuditRecords() {
      yield [];
    },
  };
}

/** One replica: its own store connection, recorder and reconciler on the shared backend. */
async function startReplica(url: string, prefix: string, clock: { now(): number }) {
  const store = await createStore(url, { prefix, clock });
  const unidentified = createUnidentifiedRemovals(store, clock.now);
  const subscriptions = createSubscriptionDirectory(store, clock.now);
  const recorder = createEventRecorder({ events: store.events, subscriptions, facts: createFactLedger(store), unidentified, now: clock.now });
  const log = createLogger('silent');
  const reconciler = createReconciler({ directory: createDirectory(clock.now), store, recorder, unidentified, clock, log });
  return { store, subscriptions, reconcile: () => reconciler.reconcileAll() };
}

type Replica = Awaited<ReturnType<typeof startReplica>>;

async function expiryWarnings(store: BotStore): Promise<Array<{ relationshipId?: string; days?: number }>> {
  const rows = await store.outbox.listConversation(toConversationKey(ADDRESS));
  return rows
    .map((row) => (row.payload as { event: DomainEvent }).event)
    .filter((event) => event.kind === 'gdap-expiring')
    .map((event) => ({ relationshipId: event.relationshipId, days: event.expiresInDays }));
}

const backends = [
  { name: 'Redis', service: TEST_REDIS_URL, url: () => TEST_REDIS_URL },
  { name: 'SQLite (one file, two connections)', url: (folder: string) => `sqlite://${path.join(folder, 'bot.sqlite')}` },
];

for (const backend of backends) {
  describe(`expiry warnings with two replicas on ${backend.name}`, function () {
    this.timeout(30_000);
    let folder = '';
    let prefix = '';
    let now = T0;
    const clock = { now: () => now };
    let replicas: Replica[] = [];

    beforeEach(async function () {
      if (backend.service) await requireService(this, backend.service);
      folder = mkdtempSync(path.join(tmpdir(), 'expiry-'));
      prefix = createTestPrefix();
      now = T0;
      replicas = [await startReplica(backend.url(folder), prefix, clock), await startReplica(backend.url(folder), prefix, clock)];
      await replicas[0]!.subscriptions.save(ADDRESS, ['expiring'], 'U0ADMIN');
    });

    afterEach(async () => {
      if (backend.service && replicas[0]) {
        // Leave nothing behind on the shared Redis: every key of this prefix.
        const { createClient } = await import('@redis/client');
        const client = createClient({ url: TEST_REDIS_URL });
        await client.connect();
        for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) if (keys.length) await client.del(keys);
        await client.quit();
      }
      await Promise.all(replicas.map((replica) => replica.store.close()));
      rmSync(folder, { recursive: true, force: true });
    });

    const bothReconcile = () => Promise.all(replicas.map((replica) => replica.reconcile()));

    it('when both replicas reconcile at every step, through a restart of one, then each threshold (30, 14, 7 days) is told exactly once, and never for an auto-extending relationship', async () => {
      await bothReconcile();
      assert.deepEqual(await expiryWarnings(replicas[0]!.store), [], '31 days left: nothing yet');

      now = T0 + 2 * DAY_MS; // 29 days left
      await bothReconcile();
      await bothReconcile();
      assert.deepEqual(await expiryWarnings(replicas[1]!.store), [{ relationshipId: ENDING, days: 29 }]);

      // A restart: the first replica goes away and comes back with a new connection and new objects.
      await replicas[0]!.store.close();
      replicas[0] = await startReplica(backend.url(folder), prefix, clock);
      await bothReconcile();
      assert.equal((await expiryWarnings(replicas[0]!.store)).length, 1, 'nothing new after the restart');

      now = T0 + 18 * DAY_MS; // 13 days left
      await bothReconcile();
      now = T0 + 25 * DAY_MS; // 6 days left
      await bothReconcile();
      await bothReconcile();
      const warnings = await expiryWarnings(replicas[0]!.store);
      assert.deepEqual(warnings, [
        { relationshipId: ENDING, days: 29 },
        { relationshipId: ENDING, days: 13 },
        { relationshipId: ENDING, days: 6 },
      ]);
      assert.ok(warnings.every((warning) => warning.relationshipId !== EXTENDING));
    });
  });
}
