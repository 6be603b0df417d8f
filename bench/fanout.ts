/**
 * Notification fan-out under a faulty chat API: 20 Partner Center events, each to 500 subscribed
 * conversations (250 Slack channels, 250 Teams chats) = 10,000 cards, while the fakes answer 30 % of new
 * messages with 429 (Retry-After: 1) and 5 % with 500.
 *
 * Everything is the production path on 127.0.0.1: the real bot (`startBot`, local mode, SQLite in a temp
 * folder), conversations subscribed with the `subscribe` command, 20 signed webhooks posted at once
 * (simulator key; each about a customer of its own, so every notification is one new card: one `post`),
 * the real recorder, outbox, worker, pacer and senders, and the fake Bot Connector and Slack Web API. The
 * delivery settings are the production ones (Slack 1/s per channel; Teams 7/s, 60/30 s, 1,800/h per
 * conversation and 30/s per tenant; claim, idle and backoff defaults). The only change: no digest
 * folding (`deliveryTuning: { digest: false }`), so each notification is a card of its own and can be
 * counted. Teams chats sit 4 to a tenant, so the tenant limit (30/s) never binds and the per-conversation
 * limits decide.
 *
 *   node --import tsx --expose-gc bench/fanout.ts [--detail]
 *
 * Figures (exact definitions in bench/support/fanout-analysis.ts):
 *   delivered                 distinct (conversation, event) cards answered 2xx
 *   lost                      10,000 − delivered
 *   duplicates                2xx cards beyond the first per (conversation, event); the fakes never lose
 *                             an acknowledgement here, so every duplicate counts
 *   calls_during_retry_after  calls to a conversation after a 429 and before its Retry-After ended
 *   drain_vs_bound_ratio      drain time (first webhook sent → last card delivered) ÷ the time the
 *                             per-conversation limits, the Retry-Afters and the events' arrival make
 *                             unavoidable for the slowest conversation
 * Faults come from one seeded coin per conversation, so every run sees the same answers per conversation.
 * `--detail` adds, on stdout after the figures, lines starting with `#`: per platform, claim-query and
 * event-loop timings, how long rows given back were due before being claimed again, and how much later
 * than allowed calls came after 2xx, 429 and 500 answers (and progress every 5 s on stderr).
 *
 * Bounded: past TOTAL_BUDGET_MS (set-up included) it stops with a message; a watchdog ends the process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startBot, type RunningBot } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { PLATFORM_LIMITS } from '../src/core/delivery/pacer.ts';
import { createLogger } from '../src/logger.ts';
import { createWebhookEventBuilders, createWebhookSender, simulatorCertificateUrls, simulatorWebhookIdentity } from '../src/simulator/webhooks/index.ts';
import { createFakeBotConnector, type ConnectorCall } from '../test/fakes/fake-bot-connector.ts';
import { createFakeSlackApi, type SlackCall } from '../test/fakes/fake-slack-api.ts';
import { analyseFanout, groupByConversation, latenessBreakdown, type AnalysisInput, type CardCall } from './support/fanout-analysis.ts';
import {
  createFleet,
  injectFaults,
  SLACK_ADMIN_USER,
  SLACK_BOT_TOKEN,
  SLACK_SIGNING_SECRET,
  SLACK_TEAM_ID,
  subscribeFleet,
  TEAMS_ADMIN_AAD_ID,
  tenantsOf,
  type FleetConversation,
} from './support/fanout-fleet.ts';
import { formatRatio, percentile } from './support/latency.ts';

const SLACK_CHANNELS = 250;
const TEAMS_CHATS = 250;
const TEAMS_PER_TENANT = 4;
const EVENTS = 20;
const FAULTS = { rateLimited: 0.3, serverError: 0.05, retryAfterMs: 1_000 };
const FAULT_SEED = 20_261_125;
const TARGET_RATIO = 1.25;
/** Everything, set-up included, must end within this; the drain gets what is left of it. */
const TOTAL_BUDGET_MS = 110_000;
const POLL_MS = 100;

const detail = process.argv.includes('--detail');
const began = Date.now();

function customerName(event: number): string {
  return `Fanout Kunde ${String(event + 1).padStart(2, '0')} AG`;
}

/** The events a call carries, read from its content: every event is another customer's (a digest names several). */
function eventsIn(content: unknown, names: readonly string[]): number[] {
  const text = JSON.stringify(content) ?? '';
  return names.flatMap((name, event) => (text.includes(name) ? [event] : []));
}

function cardCalls(fleet: readonly FleetConversation[], slack: readonly SlackCall[], teams: readonly ConnectorCall[], names: readonly string[]): CardCall[] {
  const ids = new Set(fleet.map((conversation) => conversation.id));
  const calls: CardCall[] = [];
  for (const call of slack) {
    const channel = typeof call.args.channel === 'string' ? call.args.channel : '';
    if (ids.has(channel)) calls.push({ conversation: channel, timestamp: call.timestamp, status: call.status, events: call.method === 'chat.postMessage' ? eventsIn(call.args.blocks, names) : [] });
  }
  for (const call of teams) {
    const conversation = call.conversationId ?? '';
    if (ids.has(conversation)) calls.push({ conversation, timestamp: call.timestamp, status: call.status, events: call.route === 'send' || call.route === 'reply' ? eventsIn(call.body, names) : [] });
  }
  return calls;
}

/** --detail: times the worker's claim queries (the worker calls them on this same outbox object). */
function timeClaims(bot: RunningBot) {
  const outbox = bot.store.outbox;
  const claimDue = outbox.claimDue.bind(outbox);
  const timing = {
    durations: [] as number[],
    rows: 0,
    /** Rows given back earlier (429, 500, long pacing wait): when they were due and when they were claimed again. */
    reclaimed: [] as { conversation: string; dueAt: number; claimedAt: number }[],
    percentile: (p: number) => percentile(timing.durations, p).toFixed(0),
  };
  outbox.claimDue = async (...args) => {
    const start = performance.now();
    const rows = await claimDue(...args);
    const claimedAt = Date.now();
    timing.durations.push(performance.now() - start);
    timing.rows += rows.length;
    for (const row of rows) {
      // platform:tenant:conversation, and Teams conversation ids contain colons themselves.
      if (row.attempts > 1) timing.reclaimed.push({ conversation: row.conversationKey.split(':').slice(2).join(':'), dueAt: row.notBefore, claimedAt });
    }
    return rows;
  };
  return timing;
}

/** For re-claimed rows: how long after becoming due they were claimed, and how long after that their call went out. */
function retriedRowLags(reclaimed: readonly { conversation: string; dueAt: number; claimedAt: number }[], calls: readonly CardCall[]) {
  const byConversation = groupByConversation(calls);
  const dueToClaim: number[] = [];
  const claimToCall: number[] = [];
  for (const row of reclaimed) {
    const call = byConversation.get(row.conversation)?.find((each) => each.timestamp >= row.claimedAt);
    dueToClaim.push(row.claimedAt - row.dueAt);
    if (call) claimToCall.push(call.timestamp - row.claimedAt);
  }
  const at = (samples: number[], p: number) => (samples.length ? percentile(samples, p).toFixed(0) : '-');
  return { count: reclaimed.length, dueToClaim: (p: number) => at(dueToClaim, p), claimToCall: (p: number) => at(claimToCall, p) };
}

function remainingBudget(): number {
  return TOTAL_BUDGET_MS - (Date.now() - began);
}

async function waitUntilDrained(bot: RunningBot, expected: number, delivered: () => number): Promise<void> {
  let nextReport = Date.now() + 5_000;
  for (;;) {
    const counts = await bot.store.outbox.counts();
    if (counts.pending === 0 && counts.sending === 0 && counts.done + counts.dead >= expected) return;
    if (remainingBudget() <= 0) {
      throw new Error(
        `aborted: the outbox did not drain within the ${TOTAL_BUDGET_MS / 1000} s budget ` +
          `(${delivered()} messages answered 2xx, ${expected} expected; outbox pending ${counts.pending}, sending ${counts.sending}, done ${counts.done}, dead ${counts.dead})`,
      );
    }
    if (detail && Date.now() >= nextReport) {
      nextReport += 5_000;
      process.stderr.write(`# ${((Date.now() - began) / 1000).toFixed(0)} s: ${delivered()} messages answered 2xx; outbox pending ${counts.pending}, sending ${counts.sending}, done ${counts.done}, dead ${counts.dead}\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function main(): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), 'bench-fanout-'));
  const connector = createFakeBotConnector();
  const slack = createFakeSlackApi();
  let bot: RunningBot | undefined;
  try {
    await Promise.all([connector.start(), slack.start()]);
    const fleet = createFleet({ slack: SLACK_CHANNELS, teams: TEAMS_CHATS, teamsPerTenant: TEAMS_PER_TENANT });
    const config = readConfig({
      PORT: '0',
      STORE_URL: `sqlite://${path.join(folder, 'bench.sqlite')}`,
      LOG_LEVEL: 'silent',
      // No poll: a reconciliation would add notifications of its own.
      POLL_INTERVAL_MINUTES: '0',
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_ALLOWED_TEAMS: SLACK_TEAM_ID,
      TEAMS_ALLOWED_TENANTS: tenantsOf(fleet).join(','),
      BOT_ADMINS: `teams:${TEAMS_ADMIN_AAD_ID},slack:${SLACK_ADMIN_USER}`,
    });
    if (config.mode !== 'local' || !config.slackEnabled) throw new Error('the benchmark expects local mode with Slack on');
    // The production limits, intervals and backoff; only the digest (bursts of 5+ folded into one message)
    // is off, so every notification is a card of its own and can be counted.
    bot = await startBot({ config, log: createLogger(config.LOG_LEVEL), host: '127.0.0.1', deliveryTuning: { digest: false } });
    const simulator = bot.simulator;
    if (!simulator) throw new Error('local mode started no simulator');

    if (detail) process.stderr.write(`# bot up after ${Date.now() - began} ms\n`);
    await subscribeFleet(fleet, bot, { connector, slack });
    if (detail) process.stderr.write(`# subscribed after ${Date.now() - began} ms\n`);
    const subscribedAt = Date.now();
    const names = Array.from({ length: EVENTS }, (_, event) => customerName(event));
    const customers = names.map((name, event) => simulator.controls.addCustomer({ companyName: name, domain: `fanout-kunde-${event + 1}.de` }));
    connector.reset();
    slack.reset();
    injectFaults(fleet, FAULTS, { connector, slack }, FAULT_SEED);

    const claims = detail ? timeClaims(bot) : undefined;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    if (detail) loop.enable();
    const webhooks = createWebhookEventBuilders();
    const sender = createWebhookSender({
      targetUrl: `${bot.url}/api/partner-center/webhook?token=${encodeURIComponent(bot.webhookToken)}`,
      signingKeyPem: simulatorWebhookIdentity().signingKeyPem,
      certificateUrl: simulatorCertificateUrls(simulator.url).certificateUrl,
    });
    const expected = fleet.length * EVENTS;
    // Progress only (cheap: it runs during the drain, in the bot's process): new messages answered 2xx.
    const countDelivered = () => slack.calls.filter((call) => call.method === 'chat.postMessage' && call.status === 200).length + connector.calls.filter((call) => (call.route === 'send' || call.route === 'reply') && call.status < 300).length;

    // The clock starts with the first webhook: Partner Center posts them all at about the same time.
    const startedAt = Date.now();
    const statuses = await Promise.all(customers.map((customer) => sender.send(webhooks.resellerRelationshipAccepted(customer.id))));
    const ingestedAt = Date.now();
    if (detail) process.stderr.write(`# webhooks answered after ${ingestedAt - startedAt} ms\n`);
    if (statuses.some((status) => status !== 200)) throw new Error(`webhooks answered ${statuses.join(', ')}`);
    await waitUntilDrained(bot, expected, countDelivered);

    // When each event's rows were recorded: any one conversation's rows tell (one transaction per event).
    const arrivals: number[] = new Array<number>(EVENTS).fill(startedAt);
    const sample = fleet[0];
    if (!sample) throw new Error('empty fleet');
    for (const row of await bot.store.outbox.listConversation(`slack:${SLACK_TEAM_ID}:${sample.id}`)) {
      for (const event of eventsIn((row.payload as { event?: unknown }).event, customers.map((customer) => customer.id.toLowerCase()))) arrivals[event] = row.createdAt;
    }
    const windowsOf = (conversation: FleetConversation) => (conversation.platform === 'slack' ? PLATFORM_LIMITS.slackChannel : PLATFORM_LIMITS.teamsConversation);
    const input: AnalysisInput = {
      conversations: fleet.map((conversation) => ({ id: conversation.id, windows: windowsOf(conversation) })),
      events: EVENTS,
      calls: cardCalls(fleet, slack.calls, connector.calls, names),
      arrivals,
      startedAt,
      retryAfterMs: FAULTS.retryAfterMs,
    };
    const figures = analyseFanout(input);
    const platformOf = new Map(fleet.map((conversation) => [conversation.id, conversation.platform]));
    const counts = await bot.store.outbox.counts();
    const ratio = figures.drainMs / figures.bound.boundMs;
    const met = figures.lost === 0 && figures.duplicates === 0 && figures.callsDuringRetryAfter === 0 && ratio <= TARGET_RATIO;
    const lines = [
      `delivered: ${figures.delivered} of ${figures.expected}`,
      `lost: ${figures.lost}`,
      `duplicates: ${figures.duplicates}`,
      `calls_during_retry_after: ${figures.callsDuringRetryAfter}`,
      `drain_s: ${(figures.drainMs / 1000).toFixed(2)} s`,
      `bound_s: ${(figures.bound.boundMs / 1000).toFixed(2)} s (slowest conversation ${figures.bound.conversation}, ${figures.bound.calls} calls)`,
      `drain_vs_bound_ratio: ${formatRatio(ratio)}`,
      `target: lost 0, duplicates 0, calls during Retry-After 0, ratio <= ${TARGET_RATIO}: ${met ? 'met' : 'missed'}`,
    ];
    if (detail) {
      const late = latenessBreakdown(input);
      const perCall = (ms: number, calls: number) => (calls ? (ms / calls).toFixed(0) : '-');
      const retried = retriedRowLags(claims?.reclaimed ?? [], input.calls);
      lines.push(
        `# set-up ${((subscribedAt - began) / 1000).toFixed(1)} s; ingest ${((ingestedAt - startedAt) / 1000).toFixed(2)} s; events recorded ${((Math.max(...arrivals) - startedAt) / 1000).toFixed(2)} s after the first webhook`,
        `# calls ${figures.totalCalls}: 429 ${figures.status429}, 500 ${figures.status500}; outbox done ${counts.done}, dead ${counts.dead}`,
        `# claim queries ${claims?.durations.length} (${((claims?.durations.reduce((sum, each) => sum + each, 0) ?? 0) / 1000).toFixed(1)} s in all): p50 ${claims?.percentile(50)} ms, p99 ${claims?.percentile(99)} ms, max ${claims?.percentile(100)} ms; rows claimed ${claims?.rows}; event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`,
        `# rows given back and claimed again ${retried.count}: due → claimed p50 ${retried.dueToClaim(50)} ms, p90 ${retried.dueToClaim(90)} ms; claimed → chat API call p50 ${retried.claimToCall(50)} ms, p90 ${retried.claimToCall(90)} ms`,
        ...(['slack', 'teams'] as const).map((platform) => {
          const part = analyseFanout({ ...input, conversations: input.conversations.filter((conversation) => platformOf.get(conversation.id) === platform) });
          return `# ${platform}: delivered ${part.delivered}, lost ${part.lost}, duplicates ${part.duplicates}, calls during Retry-After ${part.callsDuringRetryAfter}, drain ${(part.drainMs / 1000).toFixed(2)} s, bound ${(part.bound.boundMs / 1000).toFixed(2)} s`;
        }),
        `# lateness beyond what the limits allowed, mean ms per call: after 2xx ${perCall(late.after2xxMs, late.calls.after2xx)} (${late.calls.after2xx} calls), after 429 ${perCall(late.after429Ms, late.calls.after429)} (${late.calls.after429}), after 500 ${perCall(late.after500Ms, late.calls.after500)} (${late.calls.after500}), first call ${perCall(late.firstCallMs, late.calls.first)} (${late.calls.first})`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await bot?.stop();
    await Promise.all([connector.stop(), slack.stop()]);
    rmSync(folder, { recursive: true, force: true });
  }
}

// A hard stop, in case shutting down hangs after an abort.
const watchdog = setTimeout(() => {
  process.stderr.write(`fanout aborted: still running after ${(TOTAL_BUDGET_MS + 7_000) / 1000} s\n`);
  process.exit(1);
}, TOTAL_BUDGET_MS + 7_000);
watchdog.unref();

main().catch((error: unknown) => {
  process.stderr.write(`fanout failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
