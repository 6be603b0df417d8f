/** fast-check commands that drive a real store and the model side by side and compare every answer. */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { BotStore } from '../../src/store/bot-store.ts';
import { anEvent } from './outbox-harness.ts';
import type { OutboxModel } from './outbox-model.ts';

type OutboxCommand = fc.AsyncCommand<OutboxModel, BotStore>;

export const CONVERSATIONS = ['teams:t:c0', 'slack:t:c1', 'teams:t:c2'];
const OWNERS = ['sender-0', 'sender-1', 'sender-2'];

/** After every step the whole observable state must agree, not only the step's answer. */
async function assertSameState(model: OutboxModel, store: BotStore): Promise<void> {
  assert.deepEqual(await store.outbox.counts(), model.counts());
  assert.deepEqual(await store.outbox.listDead(100), model.listDead(100));
  for (const key of CONVERSATIONS) assert.deepEqual(await store.outbox.listConversation(key), model.listConversation(key));
}

/** A command is its parameters, a label for shrunk counterexamples, and one step on both sides. */
function command(label: string, step: (model: OutboxModel, store: BotStore) => Promise<void>): OutboxCommand {
  return {
    check: () => true,
    async run(model, store) {
      await step(model, store);
      await assertSameState(model, store);
    },
    toString: () => label,
  };
}

/** Picks an existing row (or an unknown id when there is none) from a generated number. */
const pickRow = (model: OutboxModel, pick: number, ids = model.rowIds()) => ids[pick % Math.max(1, ids.length)] ?? 'unknown';
/** Finishing mostly targets rows in flight: finishing any other row is only the (also tested) refusal. */
const pickSending = (model: OutboxModel, pick: number) => {
  const sending = model.rowIds().filter((id) => model.row(id)?.state === 'sending');
  return pick % 4 === 0 || sending.length === 0 ? pickRow(model, pick) : pickRow(model, pick, sending);
};

/** null most of the time (fc.option is the other way round: null only one time in five). */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(null), weight: 6 }, { arbitrary, weight: 1 });

const record = fc
  .record({ targets: fc.array(fc.nat(CONVERSATIONS.length - 1), { maxLength: 4 }), dedupe: fc.nat(7), age: fc.nat(3), clash: rarely(fc.nat()) })
  .map(({ targets, dedupe, age, clash }) =>
    command(`record(${targets}, dedupe ${dedupe}, age ${age}, clash ${clash})`, async (model, store) => {
      const rows: [string, string][] = targets.map((index) => [`m${(model.nextMessage += 1)}`, CONVERSATIONS[index]!]);
      if (clash !== null && rows.length > 0) rows[rows.length - 1] = [pickRow(model, clash), rows[rows.length - 1]![1]];
      const { event, messages } = anEvent(`e${(model.nextEvent += 1)}`, model.now - age * 500, rows, `fact-${dedupe}`);
      const expected = model.record(event, messages);
      const actual = store.events.recordEvent(event, messages);
      if (expected === 'conflict') await assert.rejects(actual, { code: 'STORE.CONFLICT' });
      else assert.equal(await actual, expected);
    }),
  );

const claim = fc
  .record({ owner: fc.nat(OWNERS.length - 1), limit: fc.integer({ min: 1, max: 4 }), claimMs: fc.constantFrom(500, 2000) })
  .map(({ owner, limit, claimMs }) =>
    command(`claim(${OWNERS[owner]}, limit ${limit}, ${claimMs} ms)`, async (model, store) => {
      const expected = model.claim(OWNERS[owner]!, model.now, limit, claimMs);
      assert.deepEqual(await store.outbox.claimDue(OWNERS[owner]!, model.now, limit, claimMs), expected);
    }),
  );

const finish = fc
  .record({ kind: fc.constantFrom('done', 'pending', 'dead' as const), pick: fc.nat(), rightOwner: fc.nat(3).map((n) => n > 0), delay: fc.nat(3000) })
  .map(({ kind, pick, rightOwner, delay }) =>
    command(`finish(${kind}, row ${pick}, ${rightOwner ? 'owner' : 'intruder'}, +${delay})`, async (model, store) => {
      const id = pickSending(model, pick);
      const owner = rightOwner ? (model.row(id)?.claimedBy ?? OWNERS[0]!) : 'intruder';
      const notBefore = model.now + delay;
      const expected = model.finish(id, owner, kind, notBefore, `error ${pick}`);
      const outbox = store.outbox;
      const actual =
        kind === 'done' ? outbox.complete(id, owner) : kind === 'dead' ? outbox.markDead(id, owner, `error ${pick}`) : outbox.retryLater(id, owner, notBefore, `error ${pick}`);
      assert.equal(await actual, expected);
    }),
  );

const defer = fc.record({ conversation: fc.nat(CONVERSATIONS.length - 1), delay: fc.nat(4000) }).map(({ conversation, delay }) =>
  command(`defer(${conversation}, +${delay})`, async (model, store) => {
    model.defer(CONVERSATIONS[conversation]!, model.now + delay);
    await store.outbox.deferConversation(CONVERSATIONS[conversation]!, model.now + delay);
  }),
);

const drop = fc.nat(CONVERSATIONS.length - 1).map((conversation) =>
  command(`drop(${conversation})`, async (model, store) => {
    assert.equal(await store.outbox.dropConversation(CONVERSATIONS[conversation]!, 'gone'), model.drop(CONVERSATIONS[conversation]!, 'gone'));
  }),
);

const replay = fc.option(fc.array(fc.nat(), { maxLength: 3 })).map((picks) =>
  command(`replay(${picks ?? 'all'})`, async (model, store) => {
    const ids = picks?.map((pick) => pickRow(model, pick));
    const expected = model.replay(ids);
    assert.equal(await store.outbox.replayDead(ids), expected);
  }),
);

const advance = fc.integer({ min: 1, max: 3000 }).map((ms) =>
  command(`advance(${ms})`, async (model) => {
    model.now += ms;
  }),
);

export const outboxCommands = fc.commands([record, record, claim, claim, claim, finish, finish, defer, drop, replay, advance, advance], {
  maxCommands: 40,
  size: 'medium', // the default 'small' averages 5 commands: too short to reach pause-then-retry paths
});
