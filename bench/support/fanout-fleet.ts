/**
 * The conversations of the fan-out benchmark: Slack channels and Teams personal chats, each subscribed
 * through the bot's own `subscribe` command (so the conversation reference and the subscription are
 * written exactly as in production), and the fault mix each one answers with.
 */
import type { ConnectorCall, FakeBotConnector, Fault } from '../../test/fakes/fake-bot-connector.ts';
import type { FakeSlackApi, SlackCall } from '../../test/fakes/fake-slack-api.ts';
import { DEFAULT_IDENTITY } from '../../test/fakes/slack-api-methods.ts';
import { seededRandom } from '../../test/fakes/faults.ts';
import { buildSlashCommandRequest } from '../../test/fakes/slack-request.ts';
import { buildPersonalMessage, FAKE_USER_AAD_ID } from '../../test/fakes/teams-activity.ts';

export interface FleetConversation {
  platform: 'slack' | 'teams';
  /** Slack channel id or Teams conversation id: what the fakes' call logs name. */
  id: string;
  /** Teams only: the tenant (each holds a few conversations, see TEAMS_PER_TENANT). */
  tenantId?: string;
  /** Seeds this conversation's own fault coin. */
  index: number;
}

export interface FleetOptions {
  slack: number;
  teams: number;
  /**
   * Teams conversations per tenant. Teams allows 7 calls/s per conversation and 30/s per tenant, so with
   * at most 4 per tenant (4 × 7 = 28) the tenant limit never binds and the per-conversation limits alone
   * decide. (250 chats in ONE tenant would be capped at 30 calls/s together: about 4 minutes here.)
   */
  teamsPerTenant: number;
}

export const SLACK_SIGNING_SECRET = 'bench-signing-secret-0123456789';
export const SLACK_BOT_TOKEN = 'xoxb-bench-token';
export const SLACK_ADMIN_USER = 'U0BENCHADMIN';
export const SLACK_TEAM_ID = DEFAULT_IDENTITY.team_id;
export const TEAMS_ADMIN_AAD_ID = FAKE_USER_AAD_ID;

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

export function createFleet(options: FleetOptions): FleetConversation[] {
  const slack = Array.from({ length: options.slack }, (_, i): FleetConversation => ({ platform: 'slack', id: `C0FAN${String(i).padStart(5, '0')}`, index: i }));
  const teams = Array.from({ length: options.teams }, (_, i): FleetConversation => ({
    platform: 'teams',
    id: `a:1BenchFanout${String(i).padStart(5, '0')}`,
    tenantId: `0fa70000-0000-4000-8000-${hex(Math.floor(i / options.teamsPerTenant), 12)}`,
    index: options.slack + i,
  }));
  return [...slack, ...teams];
}

export function tenantsOf(fleet: readonly FleetConversation[]): string[] {
  return [...new Set(fleet.flatMap((conversation) => (conversation.tenantId ? [conversation.tenantId] : [])))];
}

/** `subscribe accepted` in every conversation, one command at a time (the subscription index is a leased list). */
export async function subscribeFleet(fleet: readonly FleetConversation[], bot: { url: string }, fakes: { connector: FakeBotConnector; slack: FakeSlackApi }): Promise<void> {
  const post = async (route: string, body: string, headers: Record<string, string>) => {
    const response = await fetch(`${bot.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    await response.arrayBuffer();
    if (response.status >= 300) throw new Error(`subscribing: ${route} answered ${response.status}`);
  };
  let slackReplies = 0;
  let teamsReplies = 0;
  for (const conversation of fleet) {
    if (conversation.platform === 'slack') {
      const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text: 'subscribe accepted', channelId: conversation.id, userId: SLACK_ADMIN_USER });
      await post('/slack/events', request.body, request.headers);
      await fakes.slack.waitForCalls('chat.postMessage', (slackReplies += 1), 10_000);
    } else {
      const activity = buildPersonalMessage({ serviceUrl: fakes.connector.url, text: 'subscribe accepted', tenantId: conversation.tenantId, conversationId: conversation.id, userAadObjectId: TEAMS_ADMIN_AAD_ID });
      await post('/api/messages', JSON.stringify(activity), {});
      await fakes.connector.waitForActivities((teamsReplies += 1), 10_000);
    }
  }
}


export interface FaultMix {
  rateLimited: number;
  serverError: number;
  retryAfterMs: number;
}

/**
 * Every new message (Slack chat.postMessage, Teams send/reply) is answered from its conversation's own
 * coin: `rateLimited` of them 429 with Retry-After, `serverError` of them 500, the rest normally. One coin
 * per conversation, drawn once per call in call order: the n-th call to a conversation gets the same
 * answer in every run, however the calls of different conversations interleave.
 */
export function injectFaults(fleet: readonly FleetConversation[], mix: FaultMix, fakes: { connector: FakeBotConnector; slack: FakeSlackApi }, seed: number): void {
  const coins = new Map(fleet.map((conversation) => [conversation.id, seededRandom(seed * 100_003 + conversation.index)]));
  const answer = (conversationId: string | undefined): Fault | undefined => {
    const coin = conversationId === undefined ? undefined : coins.get(conversationId);
    if (!coin) return undefined;
    const roll = coin();
    if (roll < mix.rateLimited) return { status: 429, headers: { 'retry-after': String(mix.retryAfterMs / 1000) } };
    if (roll < mix.rateLimited + mix.serverError) return { status: 500 };
    return undefined;
  };
  fakes.slack.setResponder((call: SlackCall) => (call.method === 'chat.postMessage' ? answer(typeof call.args.channel === 'string' ? call.args.channel : undefined) : undefined));
  fakes.connector.setResponder((call: ConnectorCall) => (call.route === 'send' || call.route === 'reply' ? answer(call.conversationId) : undefined));
}
