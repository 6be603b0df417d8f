/**
 * Registering the bot's webhook with Partner Center and proving delivery works: what `npm run
 * webhooks:register` does, and what local mode does against the simulator at start. The URL holds the
 * webhook token, so only its redacted form may be printed or logged.
 */
import { toDomainEvent } from '../../core/events/partner-center-event.ts';
import type { CallContext } from '../../core/relationships/partner-center.port.ts';
import { WEBHOOK_PATH } from '../../http/partner-center-webhook.ts';
import type { ValidationResult, WebhookRegistrationClient } from './webhook-registration.client.ts';

export interface RegisterWebhookResult {
  action: 'created' | 'updated';
  /** What is registered now. */
  events: string[];
}

export interface ValidationOutcome {
  correlationId: string;
  /** True when the last delivery attempt was answered 2xx (`OK`, `Accepted`, …). */
  delivered: boolean;
  /** The last attempt's response code, or undefined when Partner Center had not tried yet. */
  responseCode?: string;
  status: string;
}

/** `{botUrl}/api/partner-center/webhook?token=…` */
export function toWebhookUrl(botUrl: string, token: string): string {
  return `${botUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}?token=${encodeURIComponent(token)}`;
}

/** The URL with its query values replaced: safe to print and log. */
export function redactWebhookUrl(webhookUrl: string): string {
  if (!URL.canParse(webhookUrl)) return '(not a URL)';
  const url = new URL(webhookUrl);
  for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '***');
  url.username = '';
  url.password = '';
  return url.href.replaceAll('%2A%2A%2A', '***');
}

/** True for the events the bot turns into something (test-created included); the rest it would only acknowledge. */
export function isHandledEventName(name: string): boolean {
  return toDomainEvent({ EventName: name }, 'api.invalid').kind !== 'unknown';
}

/**
 * Registers `webhookUrl` for every event Partner Center offers that the bot handles: PUT when a registration
 * exists (it replaces URL and events), else POST. Asking Partner Center what it offers keeps names it does
 * not know (some are unconfirmed) out of a registration it would refuse.
 */
export async function registerWebhook(client: WebhookRegistrationClient, webhookUrl: string, context: CallContext, isHandled = isHandledEventName): Promise<RegisterWebhookResult> {
  const events = (await client.listOfferedEvents(context)).filter(isHandled);
  const existing = await client.getRegistration(context);
  const saved = existing ? await client.updateRegistration(webhookUrl, events, context) : await client.createRegistration(webhookUrl, events, context);
  return { action: existing ? 'updated' : 'created', events: saved.events };
}

export interface ValidationPolling {
  /** The longest wait between two reads; the first waits are shorter (a delivery usually takes well under a second). */
  intervalMs: number;
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Sends a `test-created` event and polls its delivery result until Partner Center has tried or time is up. */
export async function validateWebhook(client: WebhookRegistrationClient, context: CallContext, polling: ValidationPolling): Promise<ValidationOutcome> {
  const sleep = polling.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = polling.now ?? Date.now;
  const correlationId = await client.sendValidationEvent(context);
  const deadline = now() + polling.timeoutMs;
  let result: ValidationResult = await client.getValidationResult(correlationId, context);
  let wait = Math.min(FIRST_POLL_MS, polling.intervalMs);
  while (!isSettled(result) && now() + wait <= deadline) {
    await sleep(wait);
    result = await client.getValidationResult(correlationId, context);
    wait = Math.min(wait * 2, polling.intervalMs);
  }
  const last = result.attempts.at(-1);
  return { correlationId, status: result.status, delivered: last !== undefined && isSuccessCode(last.responseCode), ...(last ? { responseCode: last.responseCode } : {}) };
}

function isSettled(result: ValidationResult): boolean {
  return result.status.toLowerCase() === 'completed' || result.attempts.some((attempt) => isSuccessCode(attempt.responseCode));
}

const FIRST_POLL_MS = 250;
const SUCCESS_NAMES = new Set(['ok', 'created', 'accepted', 'nocontent']);

/** Partner Center reports .NET status names (`OK`); numbers are accepted too. */
export function isSuccessCode(code: string): boolean {
  const numeric = Number(code);
  if (Number.isInteger(numeric)) return numeric >= 200 && numeric < 300;
  return SUCCESS_NAMES.has(code.toLowerCase());
}
