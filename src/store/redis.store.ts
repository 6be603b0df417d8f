/** The Store on Redis: one @redis/client connection shared by keyv, by SET NX / Lua for claims and leases, and by the outbox scripts. */
import { createClient, type RedisClientType } from '@redis/client';
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import type { Lease } from '../core/ports.ts';
import type { BotStore } from './bot-store.ts';
import { createNamespaces } from './keyv-namespaces.ts';
import { createRedisOutbox } from './redis.outbox.ts';
import { ACQUIRE_LEASE, RELEASE_LEASE, RENEW_LEASE } from './redis-scripts.ts';
import { CONNECT_TIMEOUT_MS, PING_TIMEOUT_MS, createClosedGuard, toTtlMs, toUnreachableError, withTimeout, type BackendOptions } from './store-support.ts';

const MAX_RECONNECT_DELAY_MS = 2000;

type AdapterClient = ConstructorParameters<typeof KeyvRedis>[0];

export async function createRedisStore(url: string, options: BackendOptions): Promise<BotStore> {
  let wasReady = false;
  const client = createClient({
    url,
    // Commands fail at once while disconnected instead of queueing without limit until the server is back.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Never connected: the URL or server is wrong, so fail start-up now. Connected before: ride out a restart.
      reconnectStrategy: (retries, cause) => (wasReady ? Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS) : cause),
    },
  });
  // Every KeyvRedis adapter (one per namespace) adds its own listeners to this shared client.
  client.setMaxListeners(0);
  client.on('error', () => undefined); // socket errors also reject the commands they affect; unheard, they would crash
  client.on('ready', () => {
    wasReady = true;
  });
  try {
    await client.connect();
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw toUnreachableError(url, error);
  }

  const guard = createClosedGuard('Redis');
  const key = (...parts: string[]) => [options.prefix, ...parts].join(':');
  // Hash tags keep a lease and its token counter in one slot, so the script stays valid on a cluster.
  const leaseKeys = (name: string) => [key(`lease{${name}}`), key(`lease{${name}}`, 'token')];
  const toLease = (name: string, owner: string, token: unknown, ttlMs: number, now: number): Lease | null =>
    token === null ? null : { name, owner, token: Number(token), expiresAt: now + ttlMs };

  return {
    ...createRedisOutbox(client, options, guard.assertOpen),
    namespace: createNamespaces((name) => createNamespaceKeyv(client, key('kv', name)), guard.assertOpen),

    async claimOnce(claimKey, ttlMs) {
      guard.assertOpen();
      return (await client.set(key('claim', claimKey), '1', { NX: true, PX: toTtlMs(ttlMs) })) === 'OK';
    },

    async acquireLease(name, owner, ttlMs) {
      guard.assertOpen();
      const ttl = toTtlMs(ttlMs);
      const now = options.now();
      const token = await client.eval(ACQUIRE_LEASE, { keys: leaseKeys(name), arguments: [owner, String(ttl)] });
      return toLease(name, owner, token, ttl, now);
    },

    async renewLease(lease, ttlMs) {
      guard.assertOpen();
      const ttl = toTtlMs(ttlMs);
      const now = options.now();
      const args = [lease.owner, String(lease.token), String(ttl)];
      const token = await client.eval(RENEW_LEASE, { keys: leaseKeys(lease.name), arguments: args });
      return toLease(lease.name, lease.owner, token, ttl, now);
    },

    async releaseLease(lease) {
      guard.assertOpen();
      await client.eval(RELEASE_LEASE, { keys: leaseKeys(lease.name), arguments: [lease.owner, String(lease.token)] });
    },

    async ping() {
      guard.assertOpen();
      await withTimeout(client.ping(), PING_TIMEOUT_MS, 'Redis ping');
    },

    close: () =>
      guard.close(async () => {
        // After the reconnect strategy gave up the client is already closed, and close() would throw.
        if (client.isOpen) await client.close();
      }),
  };
}

/**
 * @keyv/redis prefixes keys with its own `namespace` (which Keyv overwrites on the adapter), so an adapter
 * cannot be shared between namespaces; adapters are cheap when they share the client. Keyv's own prefix
 * is switched off or keys would carry the namespace twice. Resulting keys: `prb:kv:<namespace>::<key>`.
 */
function createNamespaceKeyv(client: RedisClientType, namespace: string): Keyv {
  // Same @redis/client class; only the generic defaults in @keyv/redis's signature differ.
  const adapter = new KeyvRedis(client as unknown as AdapterClient, { throwOnErrors: true });
  return new Keyv(adapter, { namespace, useKeyPrefix: false });
}
