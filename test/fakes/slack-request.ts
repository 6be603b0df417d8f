import { createHmac } from 'node:crypto';
import {
  buildAppMentionEvent,
  buildBlockActionsPayload,
  buildDirectMessageEvent,
  buildEventCallbackPayload,
  buildSlashCommandPayload,
  FAKE_VERIFICATION_TOKEN,
  type BlockActionsInput,
  type MessageEventInput,
  type SlashCommandInput,
} from './slack-payloads.ts';

export * from './slack-payloads.ts';

/** Ready for `fetch(url + '/slack/events', { method: 'POST', ...request })`. */
export interface SignedSlackRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SigningOptions {
  signingSecret: string;
  /** Defaults to now; pass an old or future value to test replay protection. */
  timestampSeconds?: number;
  /** Adds `x-slack-retry-num`/`x-slack-retry-reason` as Slack does when it redelivers an event. */
  retryNum?: number;
  retryReason?: string;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Slack signs `v0:{timestamp}:{raw body}`; the body must be sent byte for byte as signed. */
export function signSlackRequest(
  secret: string,
  rawBody: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
  contentType = rawBody.trimStart().startsWith('{') ? JSON_TYPE : FORM,
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': `v0=${signature}`,
  };
}

function toSignedRequest(body: string, contentType: string, options: SigningOptions): SignedSlackRequest {
  const headers = signSlackRequest(options.signingSecret, body, options.timestampSeconds, contentType);
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
  }
  return { body, headers };
}

export function buildSlashCommandRequest(input: SlashCommandInput & SigningOptions): SignedSlackRequest {
  const body = new URLSearchParams(buildSlashCommandPayload(input)).toString();
  return toSignedRequest(body, FORM, input);
}

export function buildAppMentionRequest(input: MessageEventInput & SigningOptions): SignedSlackRequest {
  const payload = buildEventCallbackPayload(buildAppMentionEvent(input), input);
  return toSignedRequest(JSON.stringify(payload), JSON_TYPE, input);
}

export function buildDirectMessageRequest(input: MessageEventInput & SigningOptions): SignedSlackRequest {
  const payload = buildEventCallbackPayload(buildDirectMessageEvent(input), input);
  return toSignedRequest(JSON.stringify(payload), JSON_TYPE, input);
}

/** Interactivity arrives form-encoded with the JSON in a single `payload` field. */
export function buildBlockActionsRequest(input: BlockActionsInput & SigningOptions): SignedSlackRequest {
  const body = new URLSearchParams({ payload: JSON.stringify(buildBlockActionsPayload(input)) }).toString();
  return toSignedRequest(body, FORM, input);
}

export function buildUrlVerificationRequest(input: SigningOptions & { challenge?: string }): SignedSlackRequest {
  const payload = { token: FAKE_VERIFICATION_TOKEN, challenge: input.challenge ?? 'fake-challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' };
  return toSignedRequest(JSON.stringify(payload), JSON_TYPE, input);
}
