import net from 'node:net';

/** Where the real backing services of the contract and multi-process tests live. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/**
 * Skips the calling suite when a service is down on a developer machine. Under CI=true a missing service
 * is a failure, never a skip: the contract says so.
 */
export async function requireService(context: Mocha.Context, url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  if (await isListening(hostname, Number(port))) return;
  const message = `${url} is not reachable`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: a missing service fails the run)`);
  context.skip();
}

function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
