import { toConversationKey, type ConversationAddress } from '../chat.ts';
import type { Store } from '../ports.ts';
import { withLease } from '../with-lease.ts';

/** What a conversation can subscribe to (contract: notification kinds). `all` is every one of them. */
export type NotificationKind = 'accepted' | 'removed' | 'gdap' | 'expiring';
export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['accepted', 'removed', 'gdap', 'expiring'];

export interface Subscription {
  address: ConversationAddress;
  kinds: NotificationKind[];
  updatedAt: string;
  updatedBy: string;
}

export interface SubscriptionDirectory {
  get(address: ConversationAddress): Promise<Subscription | undefined>;
  /** By `platform:tenant:conversation` key (the outbox knows conversations only by key). */
  getByKey(conversationKey: string): Promise<Subscription | undefined>;
  /** Saves the conversation's kinds; an empty list removes the subscription. */
  save(address: ConversationAddress, kinds: readonly NotificationKind[], by: string): Promise<Subscription | undefined>;
  /** Every conversation subscribed to `kind`. */
  listFor(kind: NotificationKind): Promise<Subscription[]>;
}

const INDEX_KEY = 'index';
const LOCK_NAME = 'subscriptions-index';
const CACHE_MS = 2_000;

/**
 * Subscriptions per conversation, plus an index of subscribed conversations so notifications can find
 * their audience. keyv cannot update the index atomically, so index changes hold the store's lease
 * (a mutex across replicas); subscribe and unsubscribe are rare admin commands, so waiting is fine.
 */
export function createSubscriptionDirectory(store: Store, now: () => number = Date.now): SubscriptionDirectory {
  const entries = store.namespace<Subscription>('subscriptions');
  const index = store.namespace<string[]>('subscriptions-index');
  // Every event reads the whole audience; subscriptions change a few times a month. A short-lived copy
  // (dropped at once when this process changes one; other replicas see a change within CACHE_MS).
  let cached: { until: number; all: Promise<Subscription[]> } | undefined;
  const all = (): Promise<Subscription[]> => {
    if (cached && cached.until > now()) return cached.all;
    const read = (async () => {
      const keys = (await index.get(INDEX_KEY)) ?? [];
      return (await Promise.all(keys.map((key) => entries.get(key)))).filter((entry): entry is Subscription => !!entry);
    })();
    cached = { until: now() + CACHE_MS, all: read };
    read.catch(() => (cached = undefined));
    return read;
  };

  async function updateIndex(key: string, present: boolean): Promise<void> {
    await withLease(store, LOCK_NAME, async () => {
      const keys = new Set((await index.get(INDEX_KEY)) ?? []);
      if (present === keys.has(key)) return;
      if (present) keys.add(key);
      else keys.delete(key);
      await index.set(INDEX_KEY, [...keys]);
    });
  }

  return {
    get: (address) => entries.get(toConversationKey(address)),
    getByKey: (conversationKey) => entries.get(conversationKey),
    async save(address, kinds, by) {
      const key = toConversationKey(address);
      if (kinds.length === 0) {
        await entries.delete(key);
        await updateIndex(key, false);
        cached = undefined;
        return undefined;
      }
      const subscription: Subscription = { address, kinds: NOTIFICATION_KINDS.filter((kind) => kinds.includes(kind)), updatedAt: new Date(now()).toISOString(), updatedBy: by };
      await entries.set(key, subscription);
      await updateIndex(key, true);
      cached = undefined;
      return subscription;
    },
    async listFor(kind) {
      return (await all()).filter((entry) => entry.kinds.includes(kind));
    },
  };
}
