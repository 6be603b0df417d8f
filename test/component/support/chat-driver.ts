import assert from 'node:assert/strict';
import type { ConnectorCall } from '../../fakes/fake-bot-connector.ts';
import type { SlackCall } from '../../fakes/fake-slack-api.ts';
import { buildBlockActionsRequest, buildSlashCommandRequest } from '../../fakes/slack-request.ts';
import { buildCardSubmitMessage, buildPersonalMessage, FAKE_USER_AAD_ID } from '../../fakes/teams-activity.ts';
import { SLACK_ADMIN_USER, SLACK_SIGNING_SECRET, type BotUnderTest } from './bot-under-test.ts';

export type MessageKind = 'post' | 'update' | 'private';

/** One message the bot sent into the conversation, as the platform received it. */
export interface SentMessage {
  kind: MessageKind;
  /** The platform's id of the message (Slack ts, Teams activity id), for clicks on it. */
  id?: string;
  /** When the platform fake received it (Date.now, so on the test's clock). */
  at: number;
  json: string;
}

/**
 * One conversation with the bot under test, driven the same way on Slack and on Teams: type a command,
 * click a button on the card that carries it, read what the bot posted, updated or showed privately.
 */
export interface ChatDriver {
  readonly platform: 'slack' | 'teams';
  say(text: string, options?: { admin?: boolean }): Promise<void>;
  /** Clicks the newest card button with this action (found in what the bot sent), as an admin unless told. */
  click(action: string, data: Record<string, unknown>, options?: { admin?: boolean }): Promise<void>;
  messages(): SentMessage[];
  count(pattern: RegExp, kind?: MessageKind): number;
  /** The newest message matching, sent since the last `say` or `click` (what answers it, or came after it). */
  waitFor(pattern: RegExp, kind?: MessageKind, timeoutMs?: number): Promise<SentMessage>;
}

const NOT_ADMIN = { slack: 'U0NOTADMIN', teams: '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4' };

function createDriver(platform: 'slack' | 'teams', parts: Pick<ChatDriver, 'say' | 'click' | 'messages'>): ChatDriver {
  let since = 0;
  const matching = (pattern: RegExp, kind?: MessageKind, after = 0) => parts.messages().filter((message) => message.at >= after && (!kind || message.kind === kind) && pattern.test(message.json));
  return {
    platform,
    messages: parts.messages,
    say(text, options) {
      since = Date.now();
      return parts.say(text, options);
    },
    click(action, data, options) {
      since = Date.now();
      return parts.click(action, data, options);
    },
    count: (pattern, kind) => matching(pattern, kind).length,
    async waitFor(pattern, kind, timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const found = matching(pattern, kind, since).at(-1);
        if (found) return found;
        if (performance.now() > deadline) assert.fail(`no ${kind ?? 'message'} matching ${pattern} on ${platform}; last messages: ${parts.messages().slice(-3).map((message) => message.json.slice(0, 300)).join(' | ')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** A Slack channel: `/partner` commands and block actions, signed like Slack signs them. */
export function createSlackDriver(harness: () => BotUnderTest, channelId: string): ChatDriver {
  const toMessage = (call: SlackCall): SentMessage => {
    const replaces = call.method === 'chat.update' || (call.method === 'response_url' && String(call.args.replace_original) === 'true');
    const secret = call.method === 'chat.postEphemeral' || call.args.response_type === 'ephemeral';
    return { kind: replaces ? 'update' : secret ? 'private' : 'post', id: (call.response as { ts?: string } | undefined)?.ts ?? (call.args.ts as string | undefined), at: call.timestamp, json: JSON.stringify(call.args) };
  };
  const messages = () =>
    harness()
      .slack.calls.filter((call) => call.status === 200 && ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'response_url'].includes(call.method))
      .filter((call) => call.method === 'response_url' || call.args.channel === channelId)
      .map(toMessage);
  return createDriver('slack', {
    messages,
    async say(text, options = {}) {
      const userId = options.admin === false ? NOT_ADMIN.slack : SLACK_ADMIN_USER;
      const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET, text, channelId, userId, responseUrl: harness().slack.responseUrl() });
      assert.equal((await harness().post('/slack/events', request.body, request.headers)).status, 200);
    },
    async click(action, data, options = {}) {
      const card = messages().filter((message) => message.json.includes(`"action_id":"${action}"`) && message.id).at(-1);
      const userId = options.admin === false ? NOT_ADMIN.slack : SLACK_ADMIN_USER;
      const value = JSON.stringify({ action, ...data });
      const request = buildBlockActionsRequest({ signingSecret: SLACK_SIGNING_SECRET, actionId: action, value, channelId, userId, messageTs: card?.id, responseUrl: harness().slack.responseUrl() });
      assert.equal((await harness().post('/slack/events', request.body, request.headers)).status, 200);
    },
  });
}

/** A Teams personal chat: messages and Action.Submit clicks from the Bot Framework, replies through the fake connector. */
export function createTeamsDriver(harness: () => BotUnderTest): ChatDriver {
  const toMessage = (call: ConnectorCall): SentMessage => ({
    kind: call.route === 'update' ? 'update' : 'post',
    id: call.route === 'update' ? call.activityId : (call.response as { id?: string } | undefined)?.id,
    at: call.timestamp,
    json: JSON.stringify(call.body),
  });
  const messages = () => harness().connector.calls.filter((call) => call.status >= 200 && call.status < 300 && ['send', 'reply', 'update'].includes(call.route)).map(toMessage);
  const user = (admin: boolean | undefined) => (admin === false ? NOT_ADMIN.teams : FAKE_USER_AAD_ID);
  return createDriver('teams', {
    messages,
    async say(text, options = {}) {
      const activity = buildPersonalMessage({ serviceUrl: harness().connector.url, text, userAadObjectId: user(options.admin) });
      assert.equal((await harness().post('/api/messages', activity)).status, 200);
    },
    async click(action, data, options = {}) {
      const card = messages().filter((message) => message.json.includes(`"action":"${action}"`) && message.id).at(-1);
      const activity = buildCardSubmitMessage({ serviceUrl: harness().connector.url, replyToId: card?.id ?? 'no-card', value: { action, ...data }, userAadObjectId: user(options.admin) });
      assert.equal((await harness().post('/api/messages', activity)).status, 200);
    },
  });
}
