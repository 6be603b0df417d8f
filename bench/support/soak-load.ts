/**
 * The load generator of bench/soak.ts, in its own process (forked with an IPC channel) so that its work
 * never shares an event loop or a heap with the bot it measures. One autocannon instance per round sends
 * exactly `amount` requests, each built on the spot from a fixed cycle of request kinds (MIX):
 * - Teams personal messages `help` and `request relationship` (POST /api/messages, anonymous as in local
 *   mode), from a bounded set of users and conversations;
 * - Slack `/partner help` slash commands and `command` button clicks (block_actions), signed with the
 *   signing secret at send time (the timestamp must be fresh), response URLs pointing at the fake Slack;
 * - Partner Center webhooks, signed with the simulator's key, each for a fresh customer (a stored event).
 */
import { randomUUID } from 'node:crypto';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { buildBlockActionsRequest, buildSlashCommandRequest } from '../../test/fakes/slack-request.ts';
import { buildPersonalMessage } from '../../test/fakes/teams-activity.ts';
import { countOutcome, createSigner, type SignedWebhook } from './webhook-signer.ts';

export type RequestKind = 'teams-help' | 'teams-request' | 'slack-command' | 'slack-interaction' | 'webhook';

/**
 * One cycle of the traffic, repeated: 7 Teams commands, 12 Slack requests and 1 webhook in every 20. The
 * webhook share is small on purpose: each one writes an outbox row per subscribed conversation, and the
 * platforms' own limits (paced by the bot; digests of up to 20) drain only about 20 of them a second per
 * conversation, so a larger share would only pile rows up in the store.
 */
export const MIX: readonly RequestKind[] = [
  ...['teams-help', 'slack-command', 'slack-interaction', 'teams-help', 'slack-command', 'slack-interaction', 'teams-request'] as const,
  ...['slack-command', 'slack-interaction', 'teams-help', 'webhook', 'slack-command', 'slack-interaction', 'teams-help'] as const,
  ...['slack-command', 'slack-interaction', 'teams-request', 'slack-command', 'slack-interaction', 'teams-help'] as const,
];

export interface SoakTargets {
  botUrl: string;
  webhookPath: string;
  certificateUrl: string;
  /** The fake Bot Connector: the serviceUrl of every Teams activity. */
  connectorUrl: string;
  /** The fake Slack API's origin: response URLs go to `<origin>/response/…`. */
  slackUrl: string;
  slackSigningSecret: string;
  slackTeamId: string;
  teamsTenantId: string;
  /** Distinct users (and conversations) the Teams and Slack traffic cycles through. */
  people: number;
  /** The cycle of request kinds; MIX unless given. */
  mix?: readonly RequestKind[];
}

export type ToLoad = { type: 'init'; targets: SoakTargets } | { type: 'round'; amount: number; connections: number } | { type: 'exit' };

export interface RoundResult {
  type: 'round';
  /** Responses received. */
  responses: number;
  rps: number;
  durationS: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Requests sent, by kind. */
  sent: Record<RequestKind, number>;
  /** Webhook answers by their `status` field (`recorded` expected). */
  webhookOutcomes: Record<string, number>;
  /** First few non-2xx answers (status, kind, body start), to tell what went wrong. */
  failures: string[];
}

export type FromLoad = { type: 'ready' } | RoundResult | { type: 'error'; message: string };

interface Built {
  kind: RequestKind;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

function createBuilder(targets: SoakTargets): () => Built {
  const sign: () => SignedWebhook = createSigner(targets.certificateUrl);
  const mix = targets.mix ?? MIX;
  let sequence = 0;
  const person = (n: number) => n % targets.people;
  const slackUser = (n: number) => `U0SOAK${String(person(n)).padStart(5, '0')}`;
  const slackChannel = (n: number) => `C0SOAK${String(person(n)).padStart(5, '0')}`;
  const teams = (text: string, n: number): Built => {
    const id = String(person(n)).padStart(12, '0');
    const activity = buildPersonalMessage({
      serviceUrl: targets.connectorUrl,
      text,
      tenantId: targets.teamsTenantId,
      conversationId: `a:1Soak${id}`,
      userId: `29:1Soak${id}`,
      userAadObjectId: `50a40000-0000-4000-8000-${id}`,
    });
    return { kind: text === 'help' ? 'teams-help' : 'teams-request', path: '/api/messages', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) };
  };
  const slack = (kind: RequestKind, n: number): Built => {
    const common = { signingSecret: targets.slackSigningSecret, teamId: targets.slackTeamId, userId: slackUser(n), channelId: slackChannel(n), responseUrl: `${targets.slackUrl}/response/${randomUUID()}` };
    const request =
      kind === 'slack-command'
        ? buildSlashCommandRequest({ ...common, text: 'help' })
        : buildBlockActionsRequest({ ...common, actionId: 'command', value: JSON.stringify({ action: 'command', text: 'help' }) });
    return { kind, path: '/slack/events', headers: request.headers, body: request.body };
  };
  return () => {
    const n = sequence++;
    const kind = mix[n % mix.length] as RequestKind;
    if (kind === 'teams-help') return teams('help', n);
    if (kind === 'teams-request') return teams('request relationship', n);
    if (kind === 'webhook') {
      const webhook = sign();
      return { kind, path: targets.webhookPath, headers: webhook.headers, body: webhook.body };
    }
    return slack(kind, n);
  };
}

let build: (() => Built) | undefined;
let origin = '';

const emptyCounts = (): Record<RequestKind, number> => ({ 'teams-help': 0, 'teams-request': 0, 'slack-command': 0, 'slack-interaction': 0, webhook: 0 });

function round(amount: number, connections: number): Promise<RoundResult> {
  const next = build;
  if (!next) throw new Error('round before init');
  const sent = emptyCounts();
  const webhookOutcomes: Record<string, number> = {};
  const failures: string[] = [];
  const request: AutocannonRequest = {
    method: 'POST',
    setupRequest(built, context) {
      const made = next();
      sent[made.kind] += 1;
      context.kind = made.kind;
      built.method = 'POST';
      built.path = made.path;
      built.headers = made.headers;
      built.body = made.body;
      return built;
    },
    onResponse(status, body, context) {
      if (status >= 300 && failures.length < 5) failures.push(`${status} ${String(context.kind)}: ${body.slice(0, 200)}`);
      if (context.kind !== 'webhook' || status !== 200) return;
      countOutcome(webhookOutcomes, body);
    },
  };
  return new Promise((resolve, reject) => {
    autocannon({ url: origin, connections, amount, pipelining: 1, timeout: 10, requests: [request] }, (error: Error | null, result: AutocannonResult) => {
      if (error) return reject(error);
      const responses = result['2xx'] + result.non2xx;
      resolve({
        type: 'round',
        responses,
        rps: responses / result.duration,
        durationS: result.duration,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        sent,
        webhookOutcomes,
        failures,
      });
    });
  });
}

process.on('message', (message: ToLoad) => {
  void (async () => {
    try {
      if (message.type === 'init') {
        build = createBuilder(message.targets);
        origin = new URL(message.targets.botUrl).origin;
        process.send?.({ type: 'ready' } satisfies FromLoad);
      } else if (message.type === 'round') {
        process.send?.(await round(message.amount, message.connections));
      } else {
        process.disconnect();
      }
    } catch (error) {
      process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FromLoad);
    }
  })();
});
