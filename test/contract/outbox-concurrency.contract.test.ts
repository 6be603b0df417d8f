/**
 * The one-in-flight rule under real concurrency: several store instances (each with its own connections,
 * like replicas) claim and complete in a loop. The test keeps its own timeline of who holds which
 * conversation: an interval opens when claimDue returns and closes before complete is called, so it lies
 * inside the store's real `sending` interval, and any overlap it sees is a real double claim.
 */
import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboxRow } from '../../src/core/events/event-store.port.ts';
import type { BotStore } from '../../src/store/bot-store.ts';
import { T0, describeOnEveryBackend, record } from './outbox-harness.ts';

const STORES = 4;
const CONVERSATIONS = 20;
const ROWS_PER_CONVERSATION = 10;
const TOTAL = CONVERSATIONS * ROWS_PER_CONVERSATION;
const CLAIM_LIMIT = 5;
const MAX_SEND_MS = 4;

interface Flight {
  id: string;
  owner: string;
  from: number;
  to?: number;
}

/** Per conversation, every flight in the order it began; `begin` fails at once when one is still open. */
function createTimeline() {
  const flights = new Map<string, Flight[]>();
  const completions = new Map<string, number>();
  return {
    flights,
    completions,
    begin(row: OutboxRow, owner: string): Flight {
      const list = flights.get(row.conversationKey) ?? [];
      const open = list.find((flight) => flight.to === undefined);
      assert.equal(open, undefined, `${row.id} claimed by ${owner} while ${open?.id} of ${row.conversationKey} is in flight`);
      const flight: Flight = { id: row.id, owner, from: performance.now() };
      flights.set(row.conversationKey, [...list, flight]);
      return flight;
    },
    completed: () => [...completions.values()].reduce((sum, count) => sum + count, 0),
  };
}

async function runSender(store: BotStore, owner: string, timeline: ReturnType<typeof createTimeline>): Promise<number> {
  let claims = 0;
  while (timeline.completed() < TOTAL) {
    // A fixed `now` far from any claim's end: claims never expire, so every row is claimed exactly once.
    const limit = 1 + Math.floor(Math.random() * CLAIM_LIMIT); // uneven batches, so senders drift out of lock-step
    const rows = await store.outbox.claimDue(owner, T0 + 1000, limit, 60_000);
    claims += 1;
    if (rows.length === 0) await sleep(1);
    await Promise.all(
      rows.map(async (row) => {
        const flight = timeline.begin(row, owner);
        await sleep(Math.random() * MAX_SEND_MS);
        flight.to = performance.now();
        assert.equal(await store.outbox.complete(row.id, owner), true, `${owner} completes ${row.id}`);
        timeline.completions.set(row.id, (timeline.completions.get(row.id) ?? 0) + 1);
      }),
    );
  }
  return claims;
}

describeOnEveryBackend('Outbox under concurrent claimers', (harness) => {
  it(`when ${STORES} stores drain ${CONVERSATIONS} conversations × ${ROWS_PER_CONVERSATION} rows, then each row is sent once, in order, one at a time per conversation`, async () => {
    const conversations = Array.from({ length: CONVERSATIONS }, (_, index) => `teams:tenant:conversation-${index}`);
    const stores = await Promise.all(Array.from({ length: STORES }, () => harness.open()));
    const recordRound = async (round: number) => {
      // Shuffled, so "oldest first" does not hand every sender the same block of conversations each round.
      const order = [...conversations].sort(() => Math.random() - 0.5);
      await record(stores[round % STORES]!, `e${round}`, T0 + round, order.map((key) => [`${key}/${round}`, key] as const));
    };
    const rounds = Array.from({ length: ROWS_PER_CONVERSATION }, (_, round) => round);
    for (const round of rounds.slice(0, ROWS_PER_CONVERSATION / 2)) await recordRound(round);
    const timeline = createTimeline();
    const started = performance.now();
    // The second half arrives while the senders drain, as webhooks do, into conversations in flight. The
    // senders' own stores record it (a replica both receives and sends): see sqlite-database.ts on why
    // more SQLite connections than libuv threads in ONE process must not contend for the write lock.
    const producer = (async () => {
      for (const round of rounds.slice(ROWS_PER_CONVERSATION / 2)) await sleep(5).then(() => recordRound(round));
    })();
    const [claimCalls] = await Promise.all([Promise.all(stores.map((store, index) => runSender(store, `sender-${index}`, timeline))), producer]);
    const seconds = (performance.now() - started) / 1000;

    assert.equal(timeline.completions.size, TOTAL);
    assert.ok([...timeline.completions.values()].every((count) => count === 1), 'every row completed exactly once');
    for (const key of conversations) {
      const flights = timeline.flights.get(key) ?? [];
      assert.deepEqual(flights.map((flight) => flight.id), Array.from({ length: ROWS_PER_CONVERSATION }, (_, round) => `${key}/${round}`));
      for (let index = 1; index < flights.length; index += 1) {
        assert.ok(flights[index]!.from >= flights[index - 1]!.to!, `${key}: ${flights[index]!.id} began before ${flights[index - 1]!.id} ended`);
      }
      assert.ok((await harness.store().outbox.listConversation(key)).every((row) => row.state === 'done' && row.attempts === 1));
    }
    assert.deepEqual(await harness.store().outbox.counts(), { pending: 0, sending: 0, done: TOTAL, dead: 0 });
    const owners = new Set([...timeline.flights.values()].flat().map((flight) => flight.owner));
    console.log(
      `      ${harness.backend.name}: ${TOTAL} rows by ${owners.size}/${STORES} stores in ${seconds.toFixed(2)} s,` +
        ` ${Math.round(TOTAL / seconds)} claimed rows/s, ${Math.round(claimCalls.reduce((a, b) => a + b, 0) / seconds)} claimDue calls/s`,
    );
  });
});
