import type { Store } from '../core/ports.ts';
import type { Route } from './http-types.ts';
import type { Metrics } from './metrics.ts';

const READY_TIMEOUT_MS = 2000;

/** Liveness, readiness (the store answers) and Prometheus metrics. */
export function createHealthRoutes(store: Store, metrics: Metrics): Route[] {
  return [
    { method: 'GET', path: '/healthz', handler: async () => ({ status: 200, body: { status: 'ok' } }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async () => {
        const ready = await pingWithin(store, READY_TIMEOUT_MS);
        return ready ? { status: 200, body: { status: 'ready' } } : { status: 503, body: { status: 'unavailable', store: 'not answering' } };
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async () => ({
        status: 200,
        headers: { 'content-type': metrics.registry.contentType },
        body: await metrics.registry.metrics(),
      }),
    },
  ];
}

async function pingWithin(store: Store, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([store.ping().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
