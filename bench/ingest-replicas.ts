/**
 * Webhook intake on three replicas sharing one Redis: `ingest_rps_3_replicas_redis`, the sum of what
 * three bot processes answer `recorded` per second while signed webhooks are spread over them.
 *
 * Three real bots (bench/support/bot-process.ts: `startBot` in local mode, each with its own simulator,
 * `POLL_INTERVAL_MINUTES=0`) share `STORE_URL=redis://127.0.0.1:6379/<db>`: a database of its own, since
 * the store's key prefix cannot be set from the environment. The bench refuses to start when that
 * database already holds the bot's keys, and deletes them afterwards. Three Teams chats subscribe to
 * `accepted` through replica 1 (bench/support/fanout-fleet.ts), so every event writes three outbox rows,
 * which all three replicas' workers deliver to a loopback fake Bot Connector. Each replica gets its own
 * load generator (bench/support/ingest-load.ts, as in bench/ingest.ts: distinct webhooks signed before the
 * clock starts, each for a fresh customer), since each replica trusts only its own simulator's certificate
 * URL and has its own webhook token: CONNECTIONS per replica, all three at once, 2 s warm-up, 10 s measured.
 * Before that, in the same run and on the same store, replica 1 alone gets all 3 × CONNECTIONS for 10 s
 * (`ingest_rps_1_replica_redis`), so the scaling can be read off one run.
 *
 *   node --import tsx bench/ingest-replicas.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@redis/client';
import { WEBHOOK_PATH } from '../src/http/partner-center-webhook.ts';
import { DEFAULT_PREFIX } from '../src/store/store-support.ts';
import { createFakeBotConnector } from '../test/fakes/fake-bot-connector.ts';
import { createFakeSlackApi } from '../test/fakes/fake-slack-api.ts';
import { startBotProcess, type BotProcess } from './support/bot-process.ts';
import { createFleet, subscribeFleet, TEAMS_ADMIN_AAD_ID, tenantsOf } from './support/fanout-fleet.ts';
import type { LoadResult } from './support/ingest-load.ts';
import { initLoad, runLoad, startLoadGenerator, type IngestLoad } from './support/ingest-load-client.ts';
import { formatMs } from './support/latency.ts';

const REPLICAS = 3;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
/** Per replica: 17 × 3 = 51, about the 50 connections bench/ingest.ts puts on one bot. */
const CONNECTIONS = Number(process.env.BENCH_REPLICAS_CONNECTIONS ?? 17);
const SECONDS = Number(process.env.BENCH_REPLICAS_SECONDS ?? 10);
const WARM_UP_SECONDS = 2;
/** Per replica, enough for the warm-up and the measured run at up to ~1,200 events/s each. */
const POOL_SIZE = Number(process.env.BENCH_INGEST_POOL ?? 15_000);
const SUBSCRIBERS = 3;
/** The single-replica target of bench/ingest.ts, for comparison: three replicas should at least do that. */
const TARGET_P99_MS = 25;

type Redis = ReturnType<typeof createClient>;

async function keysOfTheBot(redis: Redis): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of redis.scanIterator({ MATCH: `${DEFAULT_PREFIX}:*`, COUNT: 1000 })) keys.push(...batch);
  return keys;
}

/** How many of `dedupeKeys` the shared store holds as events. */
async function countStored(redis: Redis, dedupeKeys: readonly string[]): Promise<number> {
  let stored = 0;
  for (let at = 0; at < dedupeKeys.length; at += 1000) {
    const keys = dedupeKeys.slice(at, at + 1000).map((key) => `${DEFAULT_PREFIX}:{outbox}:dedupe:${key}`);
    if (keys.length > 0) stored += await redis.exists(keys);
  }
  return stored;
}

/** All replicas at once, each from its own load generator; resolves when all three runs are done. */
function runAll(loads: readonly IngestLoad[], urls: readonly string[], seconds: number): Promise<LoadResult[]> {
  return Promise.all(loads.map((load, index) => runLoad(load, { url: urls[index] as string, connections: CONNECTIONS, seconds, bodies: 'fresh' })));
}

function checkRuns(results: readonly LoadResult[], label: string): string[] {
  const problems: string[] = [];
  results.forEach((result, index) => {
    const other = Object.entries(result.outcomes).filter(([outcome]) => outcome !== 'recorded');
    if (result.non2xx + result.errors + result.timeouts > 0) problems.push(`${label} replica ${index + 1}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
    if (other.length > 0) problems.push(`${label} replica ${index + 1}: answers other than "recorded": ${JSON.stringify(Object.fromEntries(other))}`);
  });
  return problems;
}

async function main(): Promise<void> {
  const redis: Redis = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch {
    process.stdout.write(`ingest_rps_3_replicas_redis: not measured (nothing answers at ${REDIS_URL})\n`);
    return;
  }
  const folder = mkdtempSync(path.join(tmpdir(), 'bench-replicas-'));
  const connector = createFakeBotConnector();
  const slack = createFakeSlackApi();
  const loads = Array.from({ length: REPLICAS }, () => startLoadGenerator());
  const bots: BotProcess[] = [];
  let mayClean = false;
  try {
    const found = await keysOfTheBot(redis);
    if (found.length > 0) throw new Error(`${REDIS_URL} already holds ${found.length} "${DEFAULT_PREFIX}:*" keys (another run?); set BENCH_REDIS_URL to an empty database`);
    mayClean = true;
    await Promise.all([connector.start(), slack.start()]);
    const fleet = createFleet({ slack: 0, teams: SUBSCRIBERS, teamsPerTenant: SUBSCRIBERS });
    for (let index = 0; index < REPLICAS; index += 1) {
      bots.push(
        await startBotProcess({
          PORT: '0',
          STORE_URL: REDIS_URL,
          LOCAL_MODE_FILE: path.join(folder, `local-mode-${index}.json`),
          LOG_LEVEL: 'silent',
          POLL_INTERVAL_MINUTES: '0',
          TEAMS_ALLOWED_TENANTS: tenantsOf(fleet).join(','),
          BOT_ADMINS: `teams:${TEAMS_ADMIN_AAD_ID}`,
        }),
      );
    }
    const [first] = bots;
    if (!first) throw new Error('no replica started');
    await subscribeFleet(fleet, first, { connector, slack });
    // Replica 1's generator also feeds the single-replica run (2,500 events/s and more on Redis).
    await Promise.all(loads.map((load, index) => initLoad(load, (bots[index] as BotProcess).certificateUrl, index === 0 ? 3 * POOL_SIZE : POOL_SIZE)));
    const urls = bots.map((bot) => `${bot.url}${WEBHOOK_PATH}?token=${encodeURIComponent(bot.webhookToken)}`);

    const warmUp = await runAll(loads, urls, WARM_UP_SECONDS);
    const problems = checkRuns(warmUp, 'warm-up');
    if (problems.length > 0) throw new Error(problems.join('; '));
    const [firstLoad] = loads;
    if (!firstLoad) throw new Error('no load generator');
    const single = await runLoad(firstLoad, { url: urls[0] as string, connections: REPLICAS * CONNECTIONS, seconds: SECONDS, bodies: 'fresh' });
    problems.push(...checkRuns([single], 'single replica'));
    const measured = await runAll(loads, urls, SECONDS);
    const rps = measured.reduce((sum, result) => sum + result.rps, 0);
    const p99 = Math.max(...measured.map((result) => result.p99Ms));

    // Stopping drains the requests still in flight when autocannon stopped.
    await Promise.all(bots.map((bot) => bot.stop()));
    const runs = [...warmUp, single, ...measured];
    const stored = await countStored(redis, runs.flatMap((result) => result.sent));
    const recorded = runs.reduce((sum, result) => sum + (result.outcomes.recorded ?? 0), 0);
    const unansweredStored = await countStored(redis, runs.flatMap((result) => result.unanswered));
    // The outbox keeps one count per row state; every row the runs wrote is in one of them.
    const rows = Object.values(await redis.hGetAll(`${DEFAULT_PREFIX}:{outbox}:counts`)).reduce((sum, count) => sum + Number(count), 0);

    measured.forEach((result, index) => process.stdout.write(`# replica ${index + 1}: ${result.rps.toFixed(0)} req/s, p99 ${formatMs(result.p99Ms)} ms\n`));
    process.stdout.write(
      [
        `ingest_rps_1_replica_redis: ${single.rps.toFixed(0)} req/s`,
        `ingest_p99_ms_1_replica_redis: ${formatMs(single.p99Ms)} ms`,
        `ingest_rps_3_replicas_redis: ${rps.toFixed(0)} req/s`,
        `ingest_p99_ms_3_replicas_redis: ${formatMs(p99)} ms`,
        `replicas_scaling_ratio: ${(rps / single.rps).toFixed(2)}`,
        `ingest_events_recorded_redis: ${stored}`,
        `target: p99 <= ${TARGET_P99_MS} ms (as for one replica): ${p99 <= TARGET_P99_MS ? 'met' : 'missed'}`,
        '',
      ].join('\n'),
    );

    problems.push(...checkRuns(measured, 'measured'));
    if (stored !== recorded + unansweredStored) problems.push(`the store holds ${stored} of the runs' events, the replicas answered "recorded" ${recorded} times (+${unansweredStored} stored but unanswered)`);
    if (rows !== stored * SUBSCRIBERS) problems.push(`${rows} outbox rows for ${stored} events and ${SUBSCRIBERS} subscribers`);
    if (problems.length > 0) throw new Error(problems.join('; '));
  } finally {
    for (const load of loads) load.stop();
    await Promise.allSettled(bots.map((bot) => bot.stop()));
    await Promise.allSettled([connector.stop(), slack.stop()]);
    if (mayClean) {
      const keys = await keysOfTheBot(redis);
      for (let at = 0; at < keys.length; at += 1000) await redis.del(keys.slice(at, at + 1000));
    }
    await redis.quit();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ingest-replicas failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
