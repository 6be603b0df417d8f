import assert from 'node:assert/strict';
import type { ChatEvent, ConversationAddress } from '../../../src/core/chat.ts';
import { createSubscriptionCommands, parseKinds } from '../../../src/core/notifications/subscribe.command.ts';
import { createSubscriptionDirectory } from '../../../src/core/notifications/subscriptions.ts';
import type { Store } from '../../../src/core/ports.ts';
import { createStore } from '../../../src/store/create-store.ts';

const address = (conversationId: string): ConversationAddress => ({ platform: 'slack', tenantId: 'T1', conversationId, kind: 'channel' });

describe('subscriptions', () => {
  let store: Store;

  beforeEach(async () => {
    store = await createStore('sqlite://:memory:');
  });
  afterEach(() => store.close());

  it('when kinds are named in either language, then they are understood; unknown words are named back', () => {
    assert.deepEqual(parseKinds([]), { ok: true, kinds: ['accepted', 'removed', 'gdap', 'expiring'] });
    assert.deepEqual(parseKinds(['Angenommen', 'removed,']), { ok: true, kinds: ['accepted', 'removed'] });
    assert.deepEqual(parseKinds(['accepted', 'weather']), { ok: false, word: 'weather' });
  });

  it('when a conversation subscribes and unsubscribes, then the audience of each kind follows', async () => {
    // One directory per process, as in the bot: its own changes are visible at once.
    const directory = createSubscriptionDirectory(store);
    const [subscribe, unsubscribe, show] = createSubscriptionCommands(directory);
    const run = (command: typeof subscribe, args: string[], conversationId = 'C1') => {
      const event: ChatEvent = { address: address(conversationId), user: { id: 'U1' }, text: '' };
      return command!.run({ event, locale: 'en', isAdmin: true, args });
    };
    await run(subscribe, ['accepted', 'removed']);
    await run(subscribe, [], 'C2');
    await run(unsubscribe, ['removed'], 'C2');
    assert.deepEqual((await directory.listFor('accepted')).map((entry) => entry.address.conversationId).sort(), ['C1', 'C2']);
    assert.deepEqual((await directory.listFor('removed')).map((entry) => entry.address.conversationId), ['C1']);
    const shown = await run(show, []);
    assert.deepEqual(shown.data.kinds, [
      { kind: 'accepted', on: true },
      { kind: 'removed', on: true },
      { kind: 'gdap', on: false },
      { kind: 'expiring', on: false },
    ]);
    await run(unsubscribe, ['all']);
    assert.deepEqual((await directory.listFor('accepted')).map((entry) => entry.address.conversationId), ['C2']);
    assert.equal(await directory.get(address('C1')), undefined);
  });

  it('when another replica changes a subscription, then this one sees it within two seconds', async () => {
    let now = 1_000_000;
    const here = createSubscriptionDirectory(store, () => now);
    const elsewhere = createSubscriptionDirectory(store, () => now);
    assert.deepEqual(await here.listFor('gdap'), []);
    await elsewhere.save(address('C9'), ['gdap'], 'U1');
    assert.deepEqual(await here.listFor('gdap'), [], 'still the short-lived copy');
    now += 2_001;
    assert.deepEqual((await here.listFor('gdap')).map((entry) => entry.address.conversationId), ['C9']);
  });

  it('when many conversations subscribe at the same time from two directories, then none is lost from the index', async () => {
    const first = createSubscriptionDirectory(store);
    const second = createSubscriptionDirectory(store);
    await Promise.all(
      Array.from({ length: 30 }, (_, index) => (index % 2 ? first : second).save(address(`C${index}`), ['gdap'], 'U1')),
    );
    assert.equal((await first.listFor('gdap')).length, 30);
  });
});
