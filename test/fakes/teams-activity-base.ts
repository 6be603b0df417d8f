/**
 * The parts every Teams activity shares. Plain JSON types rather than botbuilder's `Activity`, whose
 * required fields (callerId, label, valueType…) Teams never sends and whose dates are `Date`, not wire strings;
 * keeping the fakes SDK-free also keeps them valid if the bot moves to the Agents SDK.
 */
export type ConversationType = 'personal' | 'groupChat' | 'channel';

export interface TeamsAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
}

export interface TeamsConversation {
  id: string;
  conversationType: ConversationType;
  tenantId: string;
  isGroup?: boolean;
  name?: string;
}

export interface TeamsActivityJson {
  type: string;
  id: string;
  timestamp: string;
  localTimestamp?: string;
  localTimezone?: string;
  channelId: 'msteams';
  serviceUrl: string;
  from: TeamsAccount;
  conversation: TeamsConversation;
  recipient: TeamsAccount;
  locale?: string;
  channelData: Record<string, unknown>;
  [key: string]: unknown;
}

export interface TeamsContext {
  /** The fake connector's url: every reply goes there. */
  serviceUrl: string;
  tenantId?: string;
  botAppId?: string;
  botName?: string;
  userId?: string;
  userName?: string;
  userAadObjectId?: string;
  locale?: string;
  timezone?: string;
  /** Overrides the conversation id the builder would derive for the scope. */
  conversationId?: string;
  teamId?: string;
  teamName?: string;
  teamAadGroupId?: string;
  /** The channel's thread id (`19:…@thread.tacv2`); a channel message's conversation id adds `;messageid=`. */
  channelThreadId?: string;
}

export const FAKE_TENANT_ID = '5f2b6a44-7c1e-4d3b-9a8f-0e1d2c3b4a59';
export const FAKE_BOT_APP_ID = '8c5e3b1a-2f4d-4e6a-9b7c-1d0e2f3a4b5c';
export const FAKE_USER_AAD_ID = '3a9d7e2c-6b4f-4c1a-8e5d-7f0a1b2c3d4e';
export const FAKE_TEAM_ID = '19:Zf2bLq0uVt7yH3nK8mA1cR5sW9xD4eG6@thread.tacv2';
export const FAKE_CHANNEL_THREAD_ID = '19:4b8e1f0c9a2d4e7f8a1b3c5d7e9f0a2b@thread.tacv2';
export const FAKE_GROUP_CHAT_ID = '19:b1f4d8e2a7c94f3e8d6a2c5b9e1f7a3d@thread.v2';
export const FAKE_PERSONAL_CONVERSATION_ID = 'a:1Xq7vO2kZ9mJcR4tYbW8nL3pFh6sD0gE5uAi_KT1yVw';

type Resolved = Required<Omit<TeamsContext, 'conversationId'>> & { conversationId: string | undefined };

export function resolveContext(context: TeamsContext): Resolved {
  return {
    serviceUrl: context.serviceUrl,
    tenantId: context.tenantId ?? FAKE_TENANT_ID,
    botAppId: context.botAppId ?? FAKE_BOT_APP_ID,
    botName: context.botName ?? 'Partner Bot',
    userId: context.userId ?? '29:1Fq8X2bZkVd7TjH3mWcN5yPq0sLrA4eG9uIo6tK1vBx',
    userName: context.userName ?? 'Ada Admin',
    userAadObjectId: context.userAadObjectId ?? FAKE_USER_AAD_ID,
    locale: context.locale ?? 'en-US',
    timezone: context.timezone ?? 'Europe/Berlin',
    conversationId: context.conversationId,
    teamId: context.teamId ?? FAKE_TEAM_ID,
    teamName: context.teamName ?? 'Partner Operations',
    teamAadGroupId: context.teamAadGroupId ?? '0d4c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
    channelThreadId: context.channelThreadId ?? FAKE_CHANNEL_THREAD_ID,
  };
}

let lastId = 0;

/**
 * Teams message ids are epoch milliseconds. Strictly increasing so two activities built in the same
 * millisecond differ; the fake connector counts from 2023, so its ids never collide with these.
 */
export function createActivityId(): string {
  lastId = Math.max(Date.now(), lastId + 1);
  return String(lastId);
}

export function toConversation(scope: ConversationType, c: Resolved, activityId: string): TeamsConversation {
  if (scope === 'personal') {
    return { conversationType: 'personal', tenantId: c.tenantId, id: c.conversationId ?? FAKE_PERSONAL_CONVERSATION_ID };
  }
  if (scope === 'groupChat') {
    return { isGroup: true, conversationType: 'groupChat', tenantId: c.tenantId, id: c.conversationId ?? FAKE_GROUP_CHAT_ID };
  }
  const id = c.conversationId ?? `${c.channelThreadId};messageid=${activityId}`;
  return { isGroup: true, conversationType: 'channel', tenantId: c.tenantId, id };
}

/** Channel scope carries team and channel; every scope carries the tenant the bot must allow-list. */
export function toChannelData(scope: ConversationType, c: Resolved): Record<string, unknown> {
  if (scope !== 'channel') return { tenant: { id: c.tenantId } };
  return {
    teamsChannelId: c.channelThreadId,
    teamsTeamId: c.teamId,
    channel: { id: c.channelThreadId },
    team: { id: c.teamId, name: c.teamName, aadGroupId: c.teamAadGroupId },
    tenant: { id: c.tenantId },
  };
}

/** The envelope Teams puts around every activity, sent by the user to the bot. */
export function buildEnvelope(type: string, scope: ConversationType, context: TeamsContext): TeamsActivityJson {
  const c = resolveContext(context);
  const id = createActivityId();
  const now = new Date();
  return {
    type,
    id,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString().replace('Z', '+00:00'),
    localTimezone: c.timezone,
    channelId: 'msteams',
    serviceUrl: c.serviceUrl,
    from: { id: c.userId, name: c.userName, aadObjectId: c.userAadObjectId },
    conversation: toConversation(scope, c, id),
    recipient: { id: `28:${c.botAppId}`, name: c.botName },
    entities: [{ type: 'clientInfo', locale: c.locale, country: c.locale.split('-')[1] ?? 'US', platform: 'Web', timezone: c.timezone }],
    channelData: toChannelData(scope, c),
    locale: c.locale,
  };
}
