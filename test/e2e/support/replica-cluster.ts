/**
 * Several `npm start` replicas on one shared store and one shared Partner Center simulator, each with its
 * own Slack bot token so the fake Slack API can tell which replica made a call. Helpers read what the
 * replicas logged (pino JSON lines) and what they did to the fake Slack API.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createWebhookSender, simulatorCertificateUrls, simulatorWebhookIdentity, type PartnerCenterWebhookEvent } from '../../../src/simulator/webhooks/index.ts';
import type { SlackCall } from '../../fakes/fake-slack-api.ts';
import type { ConnectorCall } from '../../fakes/fake-bot-connector.ts';
import { DEFAULT_IDENTITY } from '../../fakes/slack-api-methods.ts';
import { buildSlashCommandRequest } from '../../fakes/slack-request.ts';
import { buildPersonalMessage, FAKE_TENANT_ID, FAKE_USER_AAD_ID } from '../../fakes/teams-activity.ts';
import { startNpm, type BotProcess } from './bot-process.ts';

export const CLUSTER_SIGNING_SECRET = 'replicas-signing-secret-0123456789';
export const CLUSTER_WEBHOOK_TOKEN = 'replicas-webhook-token-0123456789';
export const CLUSTER_ADMIN = 'U0REPLICAADMIN';

export interface ReplicaOptions {
  storeUrl: string;
  storePrefix: string;
  simulatorUrl: string;
  slackApiUrl: string;
  pollIntervalMs: number;
  claimSeconds: number;
}

export interface Replica {
  index: number;
  /** The Slack bot token only this replica uses. */
  token: string;
  process: BotProcess;
  killed: boolean;
}

export function replicaToken(index: number): string {
  return `xoxb-replica-${index}`;
}

export async function startReplicas(count: number, options: ReplicaOptions): Promise<Replica[]> {
  const env = (index: number): NodeJS.ProcessEnv => ({
    PORT: '0',
    STORE_URL: options.storeUrl,
    STORE_PREFIX: options.storePrefix,
    SIMULATOR_URL: options.simulatorUrl,
    PARTNER_CENTER_WEBHOOK_TOKEN: CLUSTER_WEBHOOK_TOKEN,
    POLL_INTERVAL_MINUTES: String(options.pollIntervalMs / 60_000),
    OUTBOX_CLAIM_SECONDS: String(options.claimSeconds),
    SLACK_BOT_TOKEN: replicaToken(index),
    SLACK_SIGNING_SECRET: CLUSTER_SIGNING_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    SLACK_ALLOWED_TEAMS: DEFAULT_IDENTITY.team_id,
    TEAMS_ALLOWED_TENANTS: FAKE_TENANT_ID,
    BOT_ADMINS: `slack:${CLUSTER_ADMIN},teams:${FAKE_USER_AAD_ID}`,
    LOG_LEVEL: 'info',
  });
  const started = await Promise.allSettled(Array.from({ length: count }, (_, index) => startNpm(env(index), 45_000)));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop('SIGKILL') : undefined)));
    throw failed.reason;
  }
  return started.map((result, index) => ({ index, token: replicaToken(index), process: (result as PromiseFulfilledResult<BotProcess>).value, killed: false }));
}

/** `subscribe` (every kind) in a Slack channel, as its admin types it, sent to one replica. */
export async function subscribeChannel(replica: Replica, channelId: string): Promise<number> {
  const request = buildSlashCommandRequest({ signingSecret: CLUSTER_SIGNING_SECRET, text: 'subscribe', channelId, userId: CLUSTER_ADMIN });
  const response = await fetch(`${replica.process.url}/slack/events`, { method: 'POST', headers: request.headers, body: request.body });
  await response.arrayBuffer();
  return response.status;
}

/** `subscribe` typed by the Teams admin in a personal chat (anonymous Bot Framework, the fake connector's serviceUrl). */
export async function subscribeTeamsChat(replica: Replica, serviceUrl: string): Promise<number> {
  const response = await fetch(`${replica.process.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(buildPersonalMessage({ serviceUrl, text: 'subscribe' })),
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Bot Framework calls whose activity mentions `text`, answered 2xx: new messages (`post`: a send, or a reply
 * when the stored reference points at the message the bot was spoken to in) or in-place updates.
 */
export function connectorCalls(calls: readonly ConnectorCall[], kind: 'post' | 'update', text: string): ConnectorCall[] {
  const routes = kind === 'post' ? ['send', 'reply'] : ['update'];
  return calls.filter((call) => routes.includes(call.route) && call.status < 300 && JSON.stringify(call.body ?? '').includes(text));
}

/** Sends a Partner Center webhook, signed as the simulator signs it, to one replica. */
export function sendWebhook(replica: Replica, simulatorUrl: string, event: PartnerCenterWebhookEvent): Promise<number> {
  return createWebhookSender({
    targetUrl: `${replica.process.url}/api/partner-center/webhook?token=${encodeURIComponent(CLUSTER_WEBHOOK_TOKEN)}`,
    signingKeyPem: simulatorWebhookIdentity().signingKeyPem,
    certificateUrl: simulatorCertificateUrls(simulatorUrl).certificateUrl,
  }).send(event);
}

export interface LoggedRun {
  replica: number;
  startedAt: number;
  ms: number;
}

/** Every "reconciliation done" line the replicas wrote: when each run started and how long it took. */
export function reconciliationRuns(replicas: readonly Replica[]): LoggedRun[] {
  const runs: LoggedRun[] = [];
  for (const replica of replicas) {
    for (const line of replica.process.output().split('\n')) {
      if (!line.includes('"reconciliation done"')) continue;
      try {
        const entry = JSON.parse(line) as { time: string; ms: number };
        runs.push({ replica: replica.index, startedAt: Date.parse(entry.time) - entry.ms, ms: entry.ms });
      } catch {
        // a line cut short by SIGKILL
      }
    }
  }
  return runs.sort((a, b) => a.startedAt - b.startedAt);
}

/** A top-level message or an in-place update in `channel` whose blocks mention `text`, answered 200. */
export function cardCalls(calls: readonly SlackCall[], channel: string, text: string, method: 'chat.postMessage' | 'chat.update'): SlackCall[] {
  return calls.filter(
    (call) => call.method === method && call.status === 200 && call.args.channel === channel && call.args.thread_ts === undefined && JSON.stringify(call.args.blocks ?? '').includes(text),
  );
}

/**
 * After a replica is killed: for every channel it was serving, how long until another replica sent the
 * channel's next message. The killed replica's claims must run out first (OUTBOX_CLAIM_SECONDS).
 */
export function takeoverTimes(calls: readonly SlackCall[], killed: Replica, killedAt: number): number[] {
  const channels = new Set(calls.filter((call) => call.token === killed.token && call.method === 'chat.postMessage').map((call) => String(call.args.channel)));
  const times: number[] = [];
  for (const channel of channels) {
    const inChannel = calls.filter((call) => call.args.channel === channel && call.method === 'chat.postMessage');
    const last = inChannel.filter((call) => call.timestamp <= killedAt).at(-1);
    if (last?.token !== killed.token) continue;
    const next = inChannel.find((call) => call.timestamp > killedAt);
    if (next) times.push(next.timestamp - killedAt);
  }
  return times;
}

/** Polls `check` every 100 ms; on timeout the error says what `describe` saw last. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, describe?: () => unknown): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${describe ? `; last seen ${JSON.stringify(await describe())}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function keepOutputs(folder: string, name: string, replicas: readonly Replica[], calls: readonly SlackCall[], teamsCalls: readonly ConnectorCall[]): void {
  writeFileSync(path.join(folder, `${name}-teams.json`), JSON.stringify(teamsCalls.map(({ route, path: callPath, status, timestamp, body }) => ({ route, path: callPath, status, timestamp, body: JSON.stringify(body).slice(0, 2000) })), null, 1));
  for (const replica of replicas) writeFileSync(path.join(folder, `${name}-${replica.index}.log`), replica.process.output());
  const summary = calls.map(({ method, args, token, timestamp, status }) => ({ method, channel: args.channel, thread: args.thread_ts, ts: args.ts, text: String(args.text ?? '').slice(0, 120), token, timestamp, status }));
  writeFileSync(path.join(folder, `${name}-slack.json`), JSON.stringify(summary, null, 1));
}
