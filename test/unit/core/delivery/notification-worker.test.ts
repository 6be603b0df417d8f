import assert from 'node:assert/strict';
import { DeliveryFailure } from '../../../../src/core/delivery/chat-sender.port.ts';
import { createNotificationWorker, type DeliveryOutcome, type NotificationWorker } from '../../../../src/core/delivery/notification-worker.ts';
import type { OutboxRow } from '../../../../src/core/events/event-store.port.ts';
import { createLogger } from '../../../../src/logger.ts';
import type { BotStore } from '../../../../src/store/bot-store.ts';
import { createStore } from '../../../../src/store/create-store.ts';

const log = createLogger('silent');
const KEY_A = 'slack:T1:C1';
const KEY_B = 'slack:T1:C2';

type Script = (row: OutboxRow, signal: AbortSignal, takeBurst: () => Promise<OutboxRow[]>) => Promise<void>;

describe('the notification worker', () => {
  let store: BotStore;
  let worker: NotificationWorker | undefined;
  let outcomes: Array<[DeliveryOutcome, string]>;
  let gone: string[];
  let now: number;

  beforeEach(async () => {
    store = await createStore('sqlite://:memory:');
    outcomes = [];
    gone = [];
    now = 1_000_000;
  });
  afterEach(async () => {
    await worker?.stop();
    await store.close();
  });

  async function record(eventId: string, keys: string[], createdAt = now): Promise<void> {
    const messages = keys.map((conversationKey, index) => ({ id: `${eventId}-${index}`, eventId, conversationKey, payload: { n: index } }));
    await store.events.recordEvent({ id: eventId, dedupeKey: eventId, kind: 'accepted', body: {}, receivedAt: createdAt }, messages);
  }

  function start(deliver: Script, options: { retryBudgetMs?: number; digest?: { minimum: number; max: number } } = {}): void {
    worker = createNotificationWorker({
      outbox: store.outbox,
      deliver,
      onGone: async (key) => void gone.push(key),
      onOutcome: (outcome, row) => outcomes.push([outcome, row.id]),
      owner: 'test-worker',
      clock: { now: () => now },
      log,
      idleMs: 10,
      claimGapMs: 0,
      backoff: { baseMs: 1_000, capMs: 1_000 },
      ...options,
    });
    worker.start();
  }

  async function until(check: () => boolean | Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 3_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`condition not met; outcomes so far: ${JSON.stringify(outcomes)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('when delivery works, then every row is done exactly once', async () => {
    await record('e1', [KEY_A, KEY_B]);
    const seen: string[] = [];
    start(async (row) => void seen.push(row.id));
    await until(() => outcomes.length === 2);
    assert.deepEqual(seen.sort(), ['e1-0', 'e1-1']);
    assert.equal((await store.outbox.counts()).done, 2);
  });

  it('when the platform says slow down, then only that conversation waits for Retry-After; the other goes on', async () => {
    await record('e1', [KEY_A, KEY_B]);
    start(async (row) => {
      if (row.conversationKey === KEY_A) throw new DeliveryFailure('rate-limited', '429', { retryAfterMs: 5_000 });
    });
    await until(() => outcomes.length === 2);
    assert.deepEqual(outcomes.map(([outcome]) => outcome).sort(), ['delivered', 'rate-limited']);
    const [row] = await store.outbox.listConversation(KEY_A);
    assert.equal(row?.state, 'pending');
    assert.equal(row?.notBefore, now + 5_000);
    // A new notification for the throttled conversation waits too.
    await record('e2', [KEY_A]);
    const [, second] = await store.outbox.listConversation(KEY_A);
    assert.equal(second?.notBefore, now + 5_000);
  });

  it('when sending fails for now, then the row is retried after a backoff and delivered later', async () => {
    await record('e1', [KEY_A]);
    let calls = 0;
    start(async () => {
      calls += 1;
      if (calls === 1) throw new Error('socket hang up');
    });
    await until(() => outcomes.length === 1);
    assert.deepEqual(outcomes[0], ['retry', 'e1-0']);
    const [row] = await store.outbox.listConversation(KEY_A);
    assert.ok(row && row.notBefore >= now + 500 && row.notBefore <= now + 1_000, `backoff within [0.5, 1] × 1 s, got ${row?.notBefore}`);
    now += 1_000;
    worker?.wake();
    await until(() => outcomes.length === 2);
    assert.deepEqual(outcomes[1], ['delivered', 'e1-0']);
  });

  it('when the retry budget is used up, then the row is dead (and can be replayed)', async () => {
    await record('e1', [KEY_A], now - 10_000);
    start(
      async () => {
        throw new Error('still down');
      },
      { retryBudgetMs: 5_000 },
    );
    await until(() => outcomes.length === 1);
    assert.deepEqual(outcomes[0], ['dead', 'e1-0']);
    assert.equal((await store.outbox.listDead(10))[0]?.lastError, 'still down');
    assert.equal(await store.outbox.replayDead(), 1);
  });

  it('when the failure is permanent, then the row is dead at once', async () => {
    await record('e1', [KEY_A]);
    start(async () => {
      throw new DeliveryFailure('permanent', 'no conversation reference');
    });
    await until(() => outcomes.length === 1);
    assert.deepEqual(outcomes[0], ['dead', 'e1-0']);
  });

  it('when the conversation is gone, then its other notifications are dropped and the subscription is ended', async () => {
    await record('e1', [KEY_A, KEY_B]);
    await record('e2', [KEY_A]);
    start(async (row) => {
      if (row.conversationKey === KEY_A) throw new DeliveryFailure('gone', 'channel_not_found');
    });
    await until(() => outcomes.length === 2);
    assert.deepEqual(gone, [KEY_A]);
    const rows = await store.outbox.listConversation(KEY_A);
    assert.deepEqual(rows.map((row) => row.state), ['dead', 'dead']);
    assert.match(rows[1]?.lastError ?? '', /conversation gone/);
  });

  it('when a burst waits for one conversation, then the sender can take it as one digest and every row is settled', async () => {
    for (let index = 0; index < 6; index++) await record(`e${index}`, [KEY_A]);
    await record('other', [KEY_B]);
    const batches: string[][] = [];
    start(
      async (row, _signal, takeBurst) => {
        const burst = await takeBurst();
        batches.push([row.id, ...burst.map((each) => each.id)]);
      },
      { digest: { minimum: 3, max: 4 } },
    );
    await until(() => outcomes.length === 7);
    const forA = batches.filter((batch) => batch[0]?.startsWith('e'));
    assert.deepEqual(forA, [['e0-0', 'e1-0', 'e2-0', 'e3-0'], ['e4-0'], ['e5-0']], 'four folded (the maximum), then one at a time: too few left to fold');
    assert.deepEqual(batches.find((batch) => batch[0] === 'other-0'), ['other-0']);
    assert.equal((await store.outbox.counts()).done, 7);
  });

  it('when a digest fails, then every row in it is retried', async () => {
    for (let index = 0; index < 3; index++) await record(`e${index}`, [KEY_A]);
    start(
      async (_row, _signal, takeBurst) => {
        await takeBurst();
        throw new Error('503');
      },
      { digest: { minimum: 2, max: 5 } },
    );
    await until(() => outcomes.length === 3);
    assert.deepEqual(outcomes.map(([outcome]) => outcome), ['retry', 'retry', 'retry']);
  });

  it('when it stops in the middle of a send, then the row is handed back at once, not after the claim expires', async () => {
    await record('e1', [KEY_A]);
    let started!: () => void;
    const sending = new Promise<void>((resolve) => (started = resolve));
    start(
      (_row) =>
        new Promise<void>((_resolve, reject) => {
          started();
          // Like a pacing wait: ends when the worker aborts.
          setTimeout(() => reject(new Error('aborted')), 50);
        }),
    );
    await sending;
    const stopping = worker!.stop();
    worker = undefined;
    await stopping;
    const [row] = await store.outbox.listConversation(KEY_A);
    assert.equal(row?.state, 'pending');
    assert.ok((row?.notBefore ?? Infinity) <= now);
  });
});
