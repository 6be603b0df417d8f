/**
 * Soak: mixed traffic against ONE real bot process for a bounded number of requests, in rounds, with the
 * bot's heap sampled after forced full GCs at the end of every round.
 *
 * The bot runs alone in a child process (bench/support/bot-process.ts: `startBot` in local mode with its
 * simulator, a fresh SQLite file, Slack on over HTTP, `LOG_LEVEL=silent`), so its heap holds nothing of
 * the load generator or the fakes. The fake Bot Connector and fake Slack Web API run in this process on
 * loopback and receive the bot's replies and its outbox sends; their call logs are emptied every half
 * second so this process stays small too. One Teams personal chat, one Teams group chat and one Slack
 * channel are subscribed to `accepted` through the bot's own `subscribe` command, so every webhook also
 * writes three outbox rows, which the bot's worker delivers (folded into digests when they pile up).
 * The load (bench/support/soak-load.ts, its own process) cycles through Teams `help` and
 * `request relationship`, Slack `/partner help` and button clicks, and signed Partner Center webhooks.
 *
 *   node --import tsx --expose-gc bench/soak.ts
 *   BENCH_SOAK_REQUESTS=50000 node --import tsx --expose-gc bench/soak.ts          # a quick run
 *   BENCH_SOAK_SNAPSHOTS=/tmp/soak node --import tsx bench/soak.ts                   # heap snapshots after round 2 and the last
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WEBHOOK_PATH } from '../src/http/partner-center-webhook.ts';
import { createFakeBotConnector } from '../test/fakes/fake-bot-connector.ts';
import { createFakeSlackApi } from '../test/fakes/fake-slack-api.ts';
import { startBotProcess, type BotProcess } from './support/bot-process.ts';
import { createFleet, SLACK_ADMIN_USER, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_TEAM_ID, subscribeFleet, TEAMS_ADMIN_AAD_ID, tenantsOf } from './support/fanout-fleet.ts';
import { startLoadProcess } from './support/load-process.ts';
import type { FromLoad, RequestKind, RoundResult, ToLoad } from './support/soak-load.ts';
import { startCallCounter } from './support/call-counter.ts';

const REQUESTS = Number(process.env.BENCH_SOAK_REQUESTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_SOAK_ROUNDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_SOAK_CONNECTIONS ?? 32);
/**
 * No new round starts after this many seconds; the figures then cover fewer requests (and say so). The
 * bot answers a few hundred of these requests a second on 2 shared cores, so 1,000,000 takes most of it.
 */
const MAX_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 3600);
const SNAPSHOTS = process.env.BENCH_SOAK_SNAPSHOTS;
/** After the last round, the heap is sampled once more after this long without traffic (backlogs drain). */
const IDLE_SECONDS = Number(process.env.BENCH_SOAK_IDLE_SECONDS ?? 15);
/** Another cycle of request kinds (comma list of RequestKind), to measure one kind alone. */
const MIX = process.env.BENCH_SOAK_MIX?.split(',') as RequestKind[] | undefined;
/** Distinct Teams and Slack users (and their conversations) the traffic cycles through. */
const PEOPLE = 1000;
const TARGET_GROWTH_PCT = 10;
const TARGET_REQUESTS = 1_000_000;
const MB = 1024 * 1024;

interface Round {
  load: RoundResult;
  heapUsed: number;
  rss: number;
  pending: number;
  /** Requests the in-process simulator had logged since the last sample (emptied before each sample). */
  simulatorLog: number;
  teamsCalls: number;
  slackCalls: number;
  slackMethods: Record<string, number>;
}

function describe(index: number, round: Round): string {
  const { load } = round;
  return [
    `round ${index}: ${load.responses} requests in ${load.durationS.toFixed(1)} s (${load.rps.toFixed(0)} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms)`,
    `heap_used ${(round.heapUsed / MB).toFixed(1)} MB, rss ${(round.rss / MB).toFixed(0)} MB`,
    `outbox pending ${round.pending}`,
    `calls to the fakes: Teams ${round.teamsCalls}, Slack ${round.slackCalls} (${Object.entries(round.slackMethods).map(([method, n]) => `${method} ${n}`).join(', ')}), simulator ${round.simulatorLog}`,
  ].join('; ');
}

function problemsOf(load: RoundResult): string[] {
  const problems: string[] = [];
  if (load.non2xx + load.errors + load.timeouts > 0) problems.push(`${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts: ${load.failures.join(' | ')}`);
  const other = Object.entries(load.webhookOutcomes).filter(([outcome]) => outcome !== 'recorded');
  if (other.length > 0) problems.push(`webhook answers other than "recorded": ${JSON.stringify(Object.fromEntries(other))}`);
  return problems;
}

async function main(): Promise<void> {
  const started = Date.now();
  const folder = mkdtempSync(path.join(tmpdir(), 'bench-soak-'));
  const connector = createFakeBotConnector();
  const slack = createFakeSlackApi();
  const load = startLoadProcess<ToLoad, FromLoad>(new URL('./support/soak-load.ts', import.meta.url));
  let bot: BotProcess | undefined;
  let counter: ReturnType<typeof startCallCounter> | undefined;
  try {
    await Promise.all([connector.start(), slack.start()]);
    const fleet = createFleet({ slack: 1, teams: 2, teamsPerTenant: 2 });
    const [tenant] = tenantsOf(fleet);
    if (!tenant) throw new Error('the fleet has no Teams tenant');
    bot = await startBotProcess({
      PORT: '0',
      STORE_URL: `sqlite://${path.join(folder, 'soak.sqlite')}`,
      LOCAL_MODE_FILE: path.join(folder, 'local-mode.json'),
      LOG_LEVEL: 'silent',
      TEAMS_ALLOWED_TENANTS: tenant,
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_ALLOWED_TEAMS: SLACK_TEAM_ID,
      BOT_ADMINS: `teams:${TEAMS_ADMIN_AAD_ID},slack:${SLACK_ADMIN_USER}`,
    });
    await subscribeFleet(fleet, bot, { connector, slack });
    counter = startCallCounter({ connector, slack });

    const ready = await load.ask({
      type: 'init',
      targets: {
        botUrl: bot.url,
        webhookPath: `${WEBHOOK_PATH}?token=${encodeURIComponent(bot.webhookToken)}`,
        certificateUrl: bot.certificateUrl,
        connectorUrl: connector.url,
        slackUrl: slack.url,
        slackSigningSecret: SLACK_SIGNING_SECRET,
        slackTeamId: SLACK_TEAM_ID,
        teamsTenantId: tenant,
        people: PEOPLE,
        mix: MIX,
      },
    });
    if (ready.type !== 'ready') throw new Error(`expected the load generator to be ready, got ${ready.type}`);

    const perRound = Math.ceil(REQUESTS / ROUNDS);
    const rounds: Round[] = [];
    const problems: string[] = [];
    if (SNAPSHOTS) mkdirSync(SNAPSHOTS, { recursive: true });
    for (let index = 1; index <= ROUNDS; index += 1) {
      if ((Date.now() - started) / 1000 > MAX_SECONDS) {
        process.stderr.write(`soak: stopped after ${index - 1} rounds, past BENCH_SOAK_SECONDS=${MAX_SECONDS}\n`);
        break;
      }
      const result = await load.ask({ type: 'round', amount: perRound, connections: CONNECTIONS });
      if (result.type !== 'round') throw new Error(`expected a round result, got ${result.type}`);
      const calls = counter.take();
      const { usage, simulatorLog } = await bot.heap({ forgetSimulatorLog: true });
      const outbox = await bot.outbox();
      const round: Round = { load: result, heapUsed: usage.heapUsed, rss: usage.rss, pending: (outbox.pending ?? 0) + (outbox.sending ?? 0), simulatorLog, ...calls };
      rounds.push(round);
      process.stdout.write(`${describe(index, round)}\n`);
      problems.push(...problemsOf(result).map((problem) => `round ${index}: ${problem}`));
      if (SNAPSHOTS && (index === 2 || index === ROUNDS)) process.stdout.write(`# heap snapshot ${await bot.snapshot(path.join(SNAPSHOTS, `soak-round-${index}.heapsnapshot`), { forgetSimulatorLog: true })}\n`);
      if (problems.length > 0) break;
    }

    if (problems.length === 0 && IDLE_SECONDS > 0) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
      const { usage } = await bot.heap({ forgetSimulatorLog: true });
      process.stdout.write(`# after ${IDLE_SECONDS} s without traffic: heap_used ${(usage.heapUsed / MB).toFixed(1)} MB, outbox pending ${JSON.stringify(await bot.outbox())}\n`);
    }
    const requests = rounds.reduce((sum, round) => sum + round.load.responses, 0);
    const second = rounds[1];
    const last = rounds.at(-1);
    const growth = second && last && rounds.length > 2 ? ((last.heapUsed - second.heapUsed) / second.heapUsed) * 100 : Number.NaN;
    const met = requests >= TARGET_REQUESTS && growth <= TARGET_GROWTH_PCT;
    process.stdout.write(
      [
        `soak_requests: ${requests}`,
        `soak_seconds: ${((Date.now() - started) / 1000).toFixed(0)} s`,
        `heap_growth_pct: ${Number.isNaN(growth) ? 'n/a (needs 3 rounds)' : growth.toFixed(1)}`,
        `target: heap_growth_pct <= ${TARGET_GROWTH_PCT} over >= ${TARGET_REQUESTS} requests: ${met ? 'met' : 'missed'}`,
        '',
      ].join('\n'),
    );
    if (problems.length > 0) throw new Error(problems.join('; '));
  } finally {
    counter?.stop();
    load.stop();
    await bot?.stop();
    await Promise.allSettled([connector.stop(), slack.stop()]);
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
