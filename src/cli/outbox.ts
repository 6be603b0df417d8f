/**
 * `npm run outbox -- list` shows the outbox counts and the notifications that ran out of retries;
 * `npm run outbox -- replay [id …]` puts them (all, or the given ones) back in the queue. Reads the same
 * configuration as the bot (.env, environment), so it works against every store backend.
 */
import { loadDotEnv, readConfig } from '../config.ts';
import type { OutboxRow } from '../core/events/event-store.port.ts';
import { createStore } from '../store/create-store.ts';

const USAGE = 'usage: npm run outbox -- list | replay [id …]';

function describe(row: OutboxRow): string {
  const when = new Date(row.createdAt).toISOString();
  return `${row.id}  ${row.conversationKey}  attempts=${row.attempts}  created=${when}  error=${row.lastError ?? '-'}`;
}

async function run(args: readonly string[]): Promise<number> {
  const [command, ...ids] = args;
  if (command !== 'list' && command !== 'replay') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  loadDotEnv();
  const config = readConfig();
  const store = await createStore(config.STORE_URL, { prefix: config.STORE_PREFIX });
  try {
    if (command === 'replay') {
      process.stdout.write(`replayed: ${await store.outbox.replayDead(ids.length ? ids : undefined)}\n`);
      return 0;
    }
    const counts = await store.outbox.counts();
    process.stdout.write(`pending: ${counts.pending}, sending: ${counts.sending}, done: ${counts.done}, dead: ${counts.dead}\n`);
    for (const row of await store.outbox.listDead(500)) process.stdout.write(`${describe(row)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`outbox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
