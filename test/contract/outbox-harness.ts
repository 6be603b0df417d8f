/** Runs an outbox suite once per real backend, each test on a fresh prefix, and removes what it created. */
import type { OutboxMessage, RecordedEvent } from '../../src/core/events/event-store.port.ts';
import type { Clock } from '../../src/core/ports.ts';
import type { BotStore } from '../../src/store/bot-store.ts';
import { createStore } from '../../src/store/create-store.ts';
import { requireService } from '../support/services.ts';
import { createStoreBackends, createTestPrefix, type StoreBackend } from './store-backends.ts';

/** Where test time starts; the stores' own clock (used only for sweeps) starts here too. */
export const T0 = 1_700_000_000_000;

export interface OutboxHarness {
  backend: StoreBackend;
  /** The store of the current test, on a prefix no other test uses. */
  store(): BotStore;
  /** The stores' clock, for sweeps. */
  clock: Clock & { set(now: number): void };
  /** Another store on the current test's prefix (own connection), or on `prefix`. */
  open(prefix?: string): Promise<BotStore>;
  /** A prefix of its own, cleaned up after the suite. */
  freshPrefix(): string;
}

export function describeOnEveryBackend(title: string, define: (harness: OutboxHarness) => void): void {
  for (const backend of createStoreBackends()) {
    describe(`${title} (${backend.name})`, function () {
      const prefixes: string[] = [];
      let opened: BotStore[] = [];
      let current: BotStore | undefined;
      let prefix = '';
      let ready = false;
      let now = T0;
      const harness: OutboxHarness = {
        backend,
        store: () => current ?? assertNever('no store before beforeEach'),
        clock: { now: () => now, set: (value) => void (now = value) },
        async open(onPrefix = prefix) {
          const store = await createStore(backend.url(), { prefix: onPrefix, clock: harness.clock });
          opened.push(store);
          return store;
        },
        freshPrefix() {
          const fresh = createTestPrefix();
          prefixes.push(fresh);
          return fresh;
        },
      };

      before(async function () {
        if (backend.serviceUrl) await requireService(this, backend.serviceUrl);
        await backend.setUp();
        ready = true;
      });
      beforeEach(async () => {
        now = T0;
        prefix = harness.freshPrefix();
        current = await harness.open();
      });
      afterEach(async () => {
        await Promise.all(opened.map((store) => store.close()));
        opened = [];
        current = undefined;
      });
      after(async () => {
        if (ready) await backend.cleanUp(prefixes);
      });

      define(harness);
    });
  }
}

function assertNever(message: string): never {
  throw new Error(message);
}

/** An event with its rows: `rows` are [message id, conversation key] pairs. */
export function anEvent(id: string, receivedAt: number, rows: readonly (readonly [string, string])[], dedupeKey = `dedupe-${id}`) {
  const event: RecordedEvent = { id, dedupeKey, kind: 'accepted', body: { customerId: `customer-${id}`, raw: 'Accepted' }, receivedAt };
  const messages: OutboxMessage[] = rows.map(([messageId, conversationKey]) => ({
    id: messageId,
    eventId: id,
    conversationKey,
    payload: { template: 'accepted', customer: `customer-${id}`, message: messageId },
  }));
  return { event, messages };
}

/** Records one event with its rows and fails the test when it was not new. */
export async function record(store: BotStore, id: string, receivedAt: number, rows: readonly (readonly [string, string])[]): Promise<void> {
  const { event, messages } = anEvent(id, receivedAt, rows);
  if (!(await store.events.recordEvent(event, messages))) throw new Error(`event ${id} was a duplicate`);
}
