/** The three real backends the store contract runs against, and how each test run cleans up after itself. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@redis/client';
import pg from 'pg';
import { TEST_POSTGRES_URL, TEST_REDIS_URL } from '../support/services.ts';

export interface StoreBackend {
  name: string;
  /** Real service the suite needs (skipped locally, failed under CI=true when down). */
  serviceUrl?: string;
  /** True when claim and lease expiry follow the injected clock; Redis expires keys on the server. */
  followsInjectedClock: boolean;
  setUp(): Promise<void>;
  /** A URL every store of this run shares, so several stores see the same data. */
  url(): string;
  /** Same backend, reached through another host and port (for a loopback proxy). */
  urlVia?(host: string, port: number): string;
  /** A URL that cannot work, with a password that must never show up in the error. */
  unreachableUrl(): string;
  /** Removes everything the given prefixes created, and nothing else. */
  cleanUp(prefixes: string[]): Promise<void>;
}

export const SECRET = 'sup3r-secret-pw';

/** A fresh prefix per suite or test, so parallel runs and leftovers never collide. */
export function createTestPrefix(): string {
  return `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

function createSqliteBackend(): StoreBackend {
  let directory = '';
  return {
    name: 'SQLite',
    followsInjectedClock: true,
    async setUp() {
      directory = await mkdtemp(path.join(os.tmpdir(), 'store-contract-'));
    },
    url: () => `sqlite://${path.join(directory, 'store.sqlite')}`,
    // A directory cannot be opened as a database file.
    unreachableUrl: () => `sqlite://${directory}`,
    async cleanUp() {
      if (directory) await rm(directory, { recursive: true, force: true });
    },
  };
}

function createRedisBackend(): StoreBackend {
  return {
    name: 'Redis',
    serviceUrl: TEST_REDIS_URL,
    followsInjectedClock: false,
    async setUp() {},
    url: () => TEST_REDIS_URL,
    urlVia: (host, port) => withHost(TEST_REDIS_URL, host, port),
    unreachableUrl: () => `redis://:${SECRET}@127.0.0.1:1`,
    async cleanUp(prefixes) {
      const client = createClient({ url: TEST_REDIS_URL });
      await client.connect();
      try {
        for (const prefix of prefixes) {
          for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
            if (keys.length > 0) await client.del(keys);
          }
        }
      } finally {
        await client.close();
      }
    },
  };
}

function createPostgresBackend(): StoreBackend {
  return {
    name: 'PostgreSQL',
    serviceUrl: TEST_POSTGRES_URL,
    followsInjectedClock: true,
    async setUp() {},
    url: () => TEST_POSTGRES_URL,
    urlVia: (host, port) => withHost(TEST_POSTGRES_URL, host, port),
    unreachableUrl: () => `postgresql://postgres:${SECRET}@127.0.0.1:1/test`,
    async cleanUp(prefixes) {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        for (const prefix of prefixes) {
          const outboxTables = `${prefix}_events, ${prefix}_outbox, ${prefix}_outbox_pauses`;
          await client.query(`DROP TABLE IF EXISTS ${prefix}_keyv, ${prefix}_claims, ${prefix}_leases, ${outboxTables}`);
        }
      } finally {
        await client.end();
      }
    },
  };
}

function withHost(url: string, host: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = host;
  parsed.port = String(port);
  return parsed.toString();
}

export function createStoreBackends(): StoreBackend[] {
  return [createSqliteBackend(), createRedisBackend(), createPostgresBackend()];
}
