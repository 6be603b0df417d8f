/**
 * Answers for the Slack Web API methods the bot calls, shaped like Slack's real responses (field names and
 * error strings from api.slack.com), as pure functions of the arguments and the fake's state.
 */
export type SlackArgs = Record<string, unknown>;
export type SlackResult = { ok: boolean; [key: string]: unknown };

export interface SlackIdentity {
  team_id: string;
  team: string;
  user_id: string;
  user: string;
  bot_id: string;
  url: string;
  enterprise_id?: string;
}

export interface SlackUser {
  id: string;
  name?: string;
  real_name?: string;
  locale?: string;
  tz?: string;
  is_bot?: boolean;
  deleted?: boolean;
  profile?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface SlackChannel {
  id: string;
  name?: string;
  is_ext_shared?: boolean;
  is_im?: boolean;
  is_archived?: boolean;
  is_private?: boolean;
  [key: string]: unknown;
}

export interface SlackState {
  identity: SlackIdentity;
  users: Map<string, SlackUser>;
  channels: Map<string, SlackChannel>;
  /** Message timestamps: unique per fake, shaped like Slack's `1700000000.000100`. */
  nextTs(): string;
  nextId(prefix: string): string;
}

export const DEFAULT_IDENTITY: SlackIdentity = {
  team_id: 'T0FAKETEAM',
  team: 'Fake Partner Team',
  user_id: 'U0FAKEBOT',
  user: 'partnerbot',
  bot_id: 'B0FAKEBOT',
  url: 'https://fake-partner-team.slack.com/',
};

/** Fields WebClient JSON-stringifies into a form field; decoded back so tests compare objects. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'unfurls', 'user_auth_blocks', 'profile']);

export function decodeSlackArgs(body: unknown): SlackArgs {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const args: SlackArgs = { ...(body as SlackArgs) };
  for (const [key, value] of Object.entries(args)) {
    if (!JSON_FIELDS.has(key) || typeof value !== 'string') continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // Leave it as sent: a test asserting on it will show the malformed string.
    }
  }
  return args;
}

/** WebClient sends booleans as the strings 'true'/'false' in forms, JSON callers send real booleans. */
function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === '1';
}

const fail = (error: string): SlackResult => ({ ok: false, error });
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function postMessage(args: SlackArgs, state: SlackState): SlackResult {
  const channel = text(args.channel);
  if (!channel) return fail('channel_not_found');
  if (!text(args.text) && !Array.isArray(args.blocks) && !Array.isArray(args.attachments)) return fail('no_text');
  const ts = state.nextTs();
  return { ok: true, channel, ts, message: toBotMessage(args, state, ts) };
}

function toBotMessage(args: SlackArgs, state: SlackState, ts: string): Record<string, unknown> {
  const { user_id, bot_id, team_id } = state.identity;
  const optional = Object.fromEntries(
    ['blocks', 'attachments', 'thread_ts', 'metadata'].filter((key) => args[key] !== undefined).map((key) => [key, args[key]]),
  );
  return { type: 'message', text: args.text ?? '', user: user_id, bot_id, team: team_id, ts, ...optional };
}

function updateMessage(args: SlackArgs, state: SlackState): SlackResult {
  const channel = text(args.channel);
  const ts = text(args.ts);
  if (!channel) return fail('channel_not_found');
  if (!ts) return fail('message_not_found');
  return { ok: true, channel, ts, text: args.text ?? '', message: toBotMessage(args, state, ts) };
}

function postEphemeral(args: SlackArgs, state: SlackState): SlackResult {
  if (!text(args.channel)) return fail('channel_not_found');
  if (!text(args.user)) return fail('user_not_in_channel');
  return { ok: true, message_ts: state.nextTs() };
}

/** Slack omits `locale` unless `include_locale` is set: a bot that forgets it never sees German users. */
function userInfo(args: SlackArgs, state: SlackState): SlackResult {
  const id = text(args.user);
  if (!id) return fail('user_not_found');
  const configured = state.users.get(id);
  const name = configured?.name ?? `user-${id.toLowerCase()}`;
  const realName = configured?.real_name ?? `Fake User ${id}`;
  const user: SlackUser = {
    id,
    team_id: state.identity.team_id,
    name,
    deleted: false,
    real_name: realName,
    tz: 'Europe/London',
    tz_label: 'Greenwich Mean Time',
    tz_offset: 0,
    is_admin: false,
    is_bot: false,
    is_app_user: false,
    locale: 'en-US',
    ...configured,
    profile: { real_name: realName, display_name: name, email: `${name}@example.com`, team: state.identity.team_id, ...configured?.profile },
  };
  if (!isTrue(args.include_locale)) delete user.locale;
  return { ok: true, user };
}

function conversationInfo(args: SlackArgs, state: SlackState): SlackResult {
  const id = text(args.channel);
  if (!id) return fail('channel_not_found');
  const configured = state.channels.get(id);
  const isIm = configured?.is_im ?? id.startsWith('D');
  const base = isIm
    ? { id, created: 1_700_000_000, is_im: true, is_org_shared: false, user: 'U0FAKEUSER', is_user_deleted: false, priority: 0 }
    : {
        id,
        name: `channel-${id.toLowerCase()}`,
        is_channel: true,
        is_group: false,
        is_im: false,
        is_mpim: false,
        is_private: false,
        created: 1_700_000_000,
        is_archived: false,
        is_general: false,
        is_shared: false,
        is_ext_shared: false,
        is_org_shared: false,
        is_pending_ext_shared: false,
        is_member: true,
        context_team_id: state.identity.team_id,
        creator: 'U0FAKEUSER',
      };
  return { ok: true, channel: { ...base, ...configured } };
}

function openView(args: SlackArgs, state: SlackState): SlackResult {
  if (!text(args.trigger_id)) return fail('invalid_arguments');
  if (typeof args.view !== 'object' || args.view === null) return fail('invalid_arguments');
  const id = state.nextId('V');
  const { team_id, bot_id } = state.identity;
  return { ok: true, view: { id, team_id, bot_id, state: { values: {} }, hash: `${id}.hash`, ...(args.view as object) } };
}

function authTest(state: SlackState): SlackResult {
  const { enterprise_id, ...identity } = state.identity;
  return { ok: true, ...identity, ...(enterprise_id ? { enterprise_id } : {}), is_enterprise_install: false };
}

export function answerSlackMethod(method: string, args: SlackArgs, state: SlackState): SlackResult {
  switch (method) {
    case 'auth.test':
      return authTest(state);
    case 'chat.postMessage':
      return postMessage(args, state);
    case 'chat.update':
      return updateMessage(args, state);
    case 'chat.postEphemeral':
      return postEphemeral(args, state);
    case 'users.info':
      return userInfo(args, state);
    case 'conversations.info':
      return conversationInfo(args, state);
    case 'views.open':
      return openView(args, state);
    default:
      return { ok: false, error: 'unknown_method', req_method: method };
  }
}
