import { randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_IDENTITY } from './slack-api-methods.ts';

/**
 * Inbound Slack payloads shaped like the ones Slack posts to `/slack/events` (field names and nesting as in
 * Slack's docs and recorded requests). Defaults match the fake Slack API's identity so both sides agree.
 */
export interface SlackWorkspace {
  teamId?: string;
  teamDomain?: string;
  /** Set for Enterprise Grid workspaces; the allow-list checks it. */
  enterpriseId?: string;
  appId?: string;
  botUserId?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
}

type Resolved = Required<Omit<SlackWorkspace, 'enterpriseId'>> & { enterpriseId: string | undefined };

export const FAKE_VERIFICATION_TOKEN = 'fake-verification-token';

function resolve(workspace: SlackWorkspace): Resolved {
  return {
    teamId: workspace.teamId ?? DEFAULT_IDENTITY.team_id,
    teamDomain: workspace.teamDomain ?? 'fake-partner-team',
    enterpriseId: workspace.enterpriseId,
    appId: workspace.appId ?? 'A0FAKEAPP',
    botUserId: workspace.botUserId ?? DEFAULT_IDENTITY.user_id,
    userId: workspace.userId ?? 'U0FAKEUSER',
    userName: workspace.userName ?? 'ada.admin',
    channelId: workspace.channelId ?? 'C0FAKECHAN',
    channelName: workspace.channelName ?? 'partner-ops',
  };
}

/** Random, not sequential: dedupe stores may outlive one test process. */
function randomSuffix(bytes: number): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}

export function createMessageTs(): string {
  return `${Math.floor(Date.now() / 1000)}.${String(randomBytes(3).readUIntBE(0, 3) % 1_000_000).padStart(6, '0')}`;
}

export interface SlashCommandInput extends SlackWorkspace {
  command?: string;
  text: string;
  responseUrl?: string;
  triggerId?: string;
}

/** Form fields are strings on the wire, booleans included. */
export function buildSlashCommandPayload(input: SlashCommandInput): Record<string, string> {
  const w = resolve(input);
  return {
    token: FAKE_VERIFICATION_TOKEN,
    team_id: w.teamId,
    team_domain: w.teamDomain,
    ...(w.enterpriseId ? { enterprise_id: w.enterpriseId, enterprise_name: 'Fake Enterprise' } : {}),
    channel_id: w.channelId,
    channel_name: w.channelName,
    user_id: w.userId,
    user_name: w.userName,
    command: input.command ?? '/partner',
    text: input.text,
    api_app_id: w.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? `https://hooks.slack.com/commands/${w.teamId}/1234567890/${randomSuffix(8)}`,
    trigger_id: input.triggerId ?? `1234567890.${randomSuffix(4)}.${randomSuffix(8).toLowerCase()}`,
  };
}

export interface MessageEventInput extends SlackWorkspace {
  /** For app mentions this is the text after the mention; the `<@bot>` prefix is added. */
  text: string;
  ts?: string;
  threadTs?: string;
  eventId?: string;
}

function toRichText(elements: unknown[]): unknown[] {
  return [{ type: 'rich_text', block_id: randomSuffix(2), elements: [{ type: 'rich_text_section', elements }] }];
}

export function buildAppMentionEvent(input: MessageEventInput): Record<string, unknown> {
  const w = resolve(input);
  const ts = input.ts ?? createMessageTs();
  return {
    user: w.userId,
    type: 'app_mention',
    ts,
    client_msg_id: randomUUID(),
    text: `<@${w.botUserId}> ${input.text}`,
    team: w.teamId,
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    blocks: toRichText([{ type: 'user', user_id: w.botUserId }, { type: 'text', text: ` ${input.text}` }]),
    channel: w.channelId,
    event_ts: ts,
  };
}

/** A user's message in the bot's DM; `channel_type: 'im'` is how listeners tell DMs apart. */
export function buildDirectMessageEvent(input: MessageEventInput): Record<string, unknown> {
  const w = resolve({ channelId: 'D0FAKEDM', ...input });
  const ts = input.ts ?? createMessageTs();
  return {
    user: w.userId,
    type: 'message',
    ts,
    client_msg_id: randomUUID(),
    text: input.text,
    team: w.teamId,
    blocks: toRichText([{ type: 'text', text: input.text }]),
    channel: w.channelId,
    event_ts: ts,
    channel_type: 'im',
  };
}

export function buildEventCallbackPayload(event: Record<string, unknown>, input: SlackWorkspace & { eventId?: string }): Record<string, unknown> {
  const w = resolve(input);
  const enterprise = w.enterpriseId ?? null;
  return {
    token: FAKE_VERIFICATION_TOKEN,
    team_id: w.teamId,
    ...(w.enterpriseId ? { enterprise_id: w.enterpriseId } : {}),
    context_team_id: w.teamId,
    context_enterprise_id: enterprise,
    api_app_id: w.appId,
    event,
    type: 'event_callback',
    event_id: input.eventId ?? `Ev${randomSuffix(5)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: enterprise, team_id: w.teamId, user_id: w.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${randomSuffix(12).toLowerCase()}`,
  };
}

export interface BlockActionsInput extends SlackWorkspace {
  actionId: string;
  value?: string;
  blockId?: string;
  buttonText?: string;
  messageTs?: string;
  responseUrl?: string;
  triggerId?: string;
  /** `state.values` as Slack sends it: `{ [blockId]: { [actionId]: { type, value } } }`. */
  stateValues?: Record<string, unknown>;
}

export function buildBlockActionsPayload(input: BlockActionsInput): Record<string, unknown> {
  const w = resolve(input);
  const messageTs = input.messageTs ?? createMessageTs();
  return {
    type: 'block_actions',
    user: { id: w.userId, username: w.userName, name: w.userName, team_id: w.teamId },
    api_app_id: w.appId,
    token: FAKE_VERIFICATION_TOKEN,
    container: { type: 'message', message_ts: messageTs, channel_id: w.channelId, is_ephemeral: false },
    trigger_id: input.triggerId ?? `1234567890.${randomSuffix(4)}.${randomSuffix(8).toLowerCase()}`,
    team: { id: w.teamId, domain: w.teamDomain },
    enterprise: w.enterpriseId ? { id: w.enterpriseId, name: 'Fake Enterprise' } : null,
    is_enterprise_install: false,
    channel: { id: w.channelId, name: w.channelName },
    message: { type: 'message', user: w.botUserId, ts: messageTs, bot_id: DEFAULT_IDENTITY.bot_id, text: 'card', team: w.teamId },
    state: { values: input.stateValues ?? {} },
    response_url: input.responseUrl ?? `https://hooks.slack.com/actions/${w.teamId}/1234567890/${randomSuffix(8)}`,
    actions: [
      {
        action_id: input.actionId,
        block_id: input.blockId ?? randomSuffix(2),
        text: { type: 'plain_text', text: input.buttonText ?? input.actionId, emoji: true },
        ...(input.value !== undefined ? { value: input.value } : {}),
        type: 'button',
        action_ts: createMessageTs(),
      },
    ],
  };
}
