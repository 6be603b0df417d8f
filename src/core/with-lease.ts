import { randomUUID } from 'node:crypto';
import type { Lease, Store } from './ports.ts';

/**
 * Runs `work` while holding the store's lease `name`: a mutex across processes and replicas for the few
 * read-modify-write updates keyv cannot do atomically (lists kept under one key). A fresh owner per call:
 * the lease is re-entrant for its owner, a mutex only between owners.
 */
export async function withLease<T>(store: Store, name: string, work: () => Promise<T>, ttlMs = 5_000): Promise<T> {
  const lease = await acquireWithRetry(store, name, randomUUID(), ttlMs);
  try {
    return await work();
  } finally {
    await store.releaseLease(lease);
  }
}

async function acquireWithRetry(store: Store, name: string, owner: string, ttlMs: number): Promise<Lease> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const lease = await store.acquireLease(name, owner, ttlMs);
    if (lease) return lease;
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
  }
  throw new Error(`the lease "${name}" stayed taken for too long`);
}
