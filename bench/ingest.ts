/**
 * Partner Center webhook intake throughput: signed `POST /api/partner-center/webhook` deliveries at 50
 * connections for 10 s against the real bot, next to a bare node:http server that only reads the body and
 * answers 200, measured in the same run.
 *
 * The bot runs in this process in local mode (it trusts its simulator's webhook CA and certificate URL)
 * with a fresh SQLite store. Three Teams conversations (personal, group chat, channel) talk to the bot
 * once through a loopback fake Bot Connector, so the bot holds their conversation references, and are
 * subscribed to everything: every event also writes three outbox rows in the same transaction. The
 * bot's own outbox worker runs as it does in production and delivers to the fake connector, paced by the
 * real per-conversation limits. Every request carries a different signed event (a fresh customer id), so
 * each one is a new event, never a dedupe hit; the signing certificate is fetched once and then served
 * from the verifier's cache. autocannon runs in a child process (bench/support/ingest-load.ts), so the
 * client never shares the servers' event loop.
 *
 *   node --import tsx --expose-gc bench/ingest.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startBot, type RunningBot } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { createSubscriptionDirectory, NOTIFICATION_KINDS } from '../src/core/notifications/subscriptions.ts';
import { WEBHOOK_PATH } from '../src/http/partner-center-webhook.ts';
import { createLogger } from '../src/logger.ts';
import { SIMULATOR_CERTIFICATE_PATH, simulatorCertificateUrls } from '../src/simulator/webhooks/index.ts';
import { DEFAULT_PREFIX } from '../src/store/store-support.ts';
import { createFakeBotConnector, type FakeBotConnector } from '../test/fakes/fake-bot-connector.ts';
import { buildChannelMessage, buildGroupChatMessage, buildPersonalMessage, FAKE_TENANT_ID, FAKE_USER_AAD_ID } from '../test/fakes/teams-activity.ts';
import { startBareServer, type BareServer } from './support/bare-server.ts';
import { formatMs, formatRatio } from './support/latency.ts';
import { initLoad, runLoad, startLoadGenerator } from './support/ingest-load-client.ts';

const CONNECTIONS = 50;
const SECONDS = 10;
const WARM_UP_SECONDS = 2;
/**
 * Webhooks signed before the clock starts, each used once: enough for the warm-up and the measured run
 * at up to ~3,300 events/s. Past that the client signs on the spot (slower, reported on stderr).
 */
const POOL_SIZE = Number(process.env.BENCH_INGEST_POOL ?? 40_000);
const TARGET_RATIO = 0.4;
const TARGET_P99_MS = 25;
const SUBSCRIBERS = 3;

/** Three conversations say `subscribe all` (the bot's admin asks), so the bot stores their references. */
async function subscribeConversations(bot: RunningBot, connector: FakeBotConnector): Promise<void> {
  const builders = [buildPersonalMessage, buildGroupChatMessage, buildChannelMessage];
  for (const build of builders) {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(build({ serviceUrl: connector.url, text: 'subscribe all' })),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`subscribe answered ${response.status}`);
  }
  await connector.waitForActivities(builders.length, 10_000);
  const subscribed = await createSubscriptionDirectory(bot.store).listFor('accepted');
  const everything = subscribed.filter((subscription) => NOTIFICATION_KINDS.every((kind) => subscription.kinds.includes(kind)));
  if (everything.length !== SUBSCRIBERS) throw new Error(`expected ${SUBSCRIBERS} conversations subscribed to everything, got ${JSON.stringify(subscribed)}`);
}

interface StoredCounts {
  /** Events stored for the run's webhooks. */
  events: number;
  /** Outbox rows of those events. */
  rows: number;
  /** Events stored for webhooks whose response never came. */
  unansweredStored: number;
}

/**
 * Read-only counts straight from the SQLite file (the store has no "count events" port), by the run's own
 * dedupe keys: the bot's reconciliation may record events of its own meanwhile.
 */
async function countStored(file: string, sent: readonly string[], unanswered: readonly string[]): Promise<StoredCounts> {
  const database = new Database(file, { readonly: true });
  const count = (sql: string, keys: readonly string[]) => (database.prepare(sql).get({ 1: JSON.stringify(keys) }) as { n: number } | undefined)?.n ?? 0;
  const events = `SELECT id FROM ${DEFAULT_PREFIX}_events WHERE dedupe_key IN (SELECT value FROM json_each(?1))`;
  try {
    return {
      events: count(`SELECT count(*) AS n FROM (${events})`, sent),
      rows: count(`SELECT count(*) AS n FROM ${DEFAULT_PREFIX}_outbox WHERE event_id IN (${events})`, sent),
      unansweredStored: count(`SELECT count(*) AS n FROM (${events})`, unanswered),
    };
  } finally {
    database.close();
  }
}

async function main(): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), 'bench-ingest-'));
  const file = path.join(folder, 'bench.sqlite');
  const load = startLoadGenerator();
  const connector = createFakeBotConnector();
  let bot: RunningBot | undefined;
  let bare: BareServer | undefined;
  try {
    await connector.start();
    const config = readConfig({
      PORT: '0',
      STORE_URL: `sqlite://${file}`,
      LOG_LEVEL: 'silent',
      TEAMS_ALLOWED_TENANTS: FAKE_TENANT_ID,
      BOT_ADMINS: `teams:${FAKE_USER_AAD_ID}`,
    });
    if (config.mode !== 'local' || config.slackEnabled) throw new Error('the benchmark expects local mode with Slack off');
    bot = await startBot({ config, log: createLogger(config.LOG_LEVEL), host: '127.0.0.1' });
    bare = await startBareServer();
    if (!bot.simulator) throw new Error('local mode should run the Partner Center simulator');
    await subscribeConversations(bot, connector);

    const query = `?token=${encodeURIComponent(bot.webhookToken)}`;
    const botUrl = `${bot.url}${WEBHOOK_PATH}${query}`;
    const bareUrl = `${bare.url}${WEBHOOK_PATH}${query}`;
    await initLoad(load, simulatorCertificateUrls(bot.simulator.url).certificateUrl, POOL_SIZE);

    // Warm-up, not counted: JIT for both servers, and the bot fetches and caches the signing certificate.
    await runLoad(load, { url: bareUrl, connections: CONNECTIONS, seconds: WARM_UP_SECONDS, bodies: 'reuse' });
    const warmUp = await runLoad(load, { url: botUrl, connections: CONNECTIONS, seconds: WARM_UP_SECONDS, bodies: 'fresh' });
    if (warmUp.non2xx + warmUp.errors > 0) throw new Error(`warm-up: ${warmUp.non2xx} non-2xx answers, ${warmUp.errors} errors`);

    globalThis.gc?.();
    const measuredBare = await runLoad(load, { url: bareUrl, connections: CONNECTIONS, seconds: SECONDS, bodies: 'reuse' });
    globalThis.gc?.();
    const ingest = await runLoad(load, { url: botUrl, connections: CONNECTIONS, seconds: SECONDS, bodies: 'fresh' });

    const certificateFetches = bot.simulator.controls.requestCount(SIMULATOR_CERTIFICATE_PATH);
    // Stopping drains the requests still in flight when autocannon stopped, then closes the store.
    await bot.stop();
    const stored = await countStored(file, ingest.sent, ingest.unanswered);
    const recordedAnswers = ingest.outcomes.recorded ?? 0;

    const ratio = ingest.rps / measuredBare.rps;
    const met = ratio >= TARGET_RATIO && ingest.p99Ms <= TARGET_P99_MS;
    process.stdout.write(
      [
        `ingest_rps: ${ingest.rps.toFixed(0)} req/s`,
        `ingest_p99_ms: ${formatMs(ingest.p99Ms)} ms`,
        `bare_rps: ${measuredBare.rps.toFixed(0)} req/s`,
        `ingest_vs_bare_ratio: ${formatRatio(ratio)}`,
        `ingest_non_2xx: ${ingest.non2xx}`,
        `ingest_events_recorded: ${stored.events}`,
        `target: ratio >= ${TARGET_RATIO} and p99 <= ${TARGET_P99_MS} ms: ${met ? 'met' : 'missed'}`,
        '',
      ].join('\n'),
    );

    // Checked after the figures are out, so a failed check still shows what was measured.
    const problems: string[] = [];
    if (ingest.non2xx > 0 || measuredBare.non2xx > 0) problems.push(`non-2xx answers: ingest ${ingest.non2xx}, bare ${measuredBare.non2xx}`);
    if (ingest.errors + ingest.timeouts + measuredBare.errors + measuredBare.timeouts > 0) {
      problems.push(`connection errors/timeouts: ingest ${ingest.errors}/${ingest.timeouts}, bare ${measuredBare.errors}/${measuredBare.timeouts}`);
    }
    const otherOutcomes = Object.entries(ingest.outcomes).filter(([outcome]) => outcome !== 'recorded');
    if (otherOutcomes.length > 0) problems.push(`answers other than "recorded": ${JSON.stringify(Object.fromEntries(otherOutcomes))}`);
    // Requests in flight when autocannon stopped got no answer but may still have been stored.
    if (stored.events !== recordedAnswers + stored.unansweredStored) {
      problems.push(`the store holds ${stored.events} of the run's events, the bot answered "recorded" ${recordedAnswers} times (+${stored.unansweredStored} stored but unanswered)`);
    }
    if (stored.rows !== stored.events * SUBSCRIBERS) problems.push(`${stored.rows} outbox rows for ${stored.events} events and ${SUBSCRIBERS} subscribers`);
    if (certificateFetches !== 1) problems.push(`expected the signing certificate to be fetched once and then cached, got ${certificateFetches} fetches`);
    if (problems.length > 0) throw new Error(problems.join('; '));
  } finally {
    load.stop();
    await Promise.allSettled([bot?.stop(), bare?.stop()]);
    await connector.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ingest failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
