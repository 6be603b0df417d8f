/**
 * Partner Center's webhook registration API (`{base}/webhooks/v1/registration…`, partner-center.md §6):
 * one registration per partner tenant, the events on offer, and test deliveries. App-only works here, so
 * registering needs no admin agent's consent. The registered URL carries the webhook token: it is never
 * logged and never returned by the validation result.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { CallContext } from '../../core/relationships/partner-center.port.ts';
import { fixedRequest, type ApiCaller } from './api-caller.ts';
import { readWire } from './wire.ts';

export interface WebhookRegistration {
  subscriberId?: string;
  webhookUrl: string;
  events: string[];
}

export interface DeliveryAttempt {
  /** .NET status names as Partner Center reports them (`OK`, `Unauthorized`, …). */
  responseCode: string;
  systemError: boolean;
  dateTimeUtc?: string;
}

export interface ValidationResult {
  correlationId: string;
  /** `completed` once Partner Center has tried; anything else means it is still trying. */
  status: string;
  attempts: DeliveryAttempt[];
}

export interface WebhookRegistrationClient {
  /** Undefined when the partner tenant has no registration yet. */
  getRegistration(context: CallContext): Promise<WebhookRegistration | undefined>;
  createRegistration(webhookUrl: string, events: readonly string[], context: CallContext): Promise<WebhookRegistration>;
  /** Replaces the registration (URL and events). */
  updateRegistration(webhookUrl: string, events: readonly string[], context: CallContext): Promise<WebhookRegistration>;
  listOfferedEvents(context: CallContext): Promise<string[]>;
  /** Asks Partner Center to deliver a `test-created` event; resolves with its correlation id. */
  sendValidationEvent(context: CallContext): Promise<string>;
  getValidationResult(correlationId: string, context: CallContext): Promise<ValidationResult>;
}

export const REGISTRATION_PATH = '/webhooks/v1/registration';
const CORRELATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Microsoft's examples use PascalCase here and camelCase in the validation answers; keys are read case-insensitively.
const registrationSchema = z.object({ subscriberid: z.string().nullish(), webhookurl: z.string().min(1), webhookevents: z.array(z.string()) });
const eventsSchema = z.array(z.string().min(1));
const correlationSchema = z.union([z.string().min(1), z.object({ correlationid: z.string().min(1) }).transform((value) => value.correlationid)]);
const validationSchema = z.object({
  correlationid: z.string().min(1),
  status: z.string().default('unknown'),
  results: z.array(z.object({ responsecode: z.union([z.string(), z.number()]).transform(String), systemerror: z.boolean().default(false), datetimeutc: z.string().nullish() })).nullish(),
});

export function createWebhookRegistrationClient(caller: ApiCaller): WebhookRegistrationClient {
  const auth = 'app-user-or-app-only' as const;
  const readRegistration = (body: unknown, path: string): WebhookRegistration => {
    const value = readWire(registrationSchema, lowerKeys(body), 'partner-center', path);
    return { webhookUrl: value.webhookurl, events: value.webhookevents, ...(value.subscriberid ? { subscriberId: value.subscriberid } : {}) };
  };
  const save = (method: 'POST' | 'PUT', webhookUrl: string, events: readonly string[], context: CallContext) =>
    caller.perform({ method, request: fixedRequest(REGISTRATION_PATH), auth, body: { WebhookUrl: webhookUrl, WebhookEvents: [...events] }, read: readRegistration }, context);

  return {
    getRegistration: (context) => caller.perform<WebhookRegistration | undefined>({ request: fixedRequest(REGISTRATION_PATH), auth, read: readRegistration, notFound: undefined }, context),
    createRegistration: (webhookUrl, events, context) => save('POST', webhookUrl, events, context),
    updateRegistration: (webhookUrl, events, context) => save('PUT', webhookUrl, events, context),
    listOfferedEvents: (context) =>
      caller.perform({ request: fixedRequest(`${REGISTRATION_PATH}/events`), auth, read: (body, path) => readWire(eventsSchema, body, 'partner-center', path) }, context),
    sendValidationEvent: (context) =>
      caller.perform({ method: 'POST', request: fixedRequest(`${REGISTRATION_PATH}/validationEvents`), auth, read: (body, path) => readWire(correlationSchema, lowerKeys(body), 'partner-center', path) }, context),
    async getValidationResult(correlationId, context) {
      const path = `${REGISTRATION_PATH}/validationEvents/{correlationId}`;
      if (!CORRELATION_ID.test(correlationId)) throw caller.fail(new AppError('PARTNER_CENTER.BAD_REQUEST', { message: 'The correlation id is not a GUID' }), context, path);
      const request = { ...fixedRequest(`${REGISTRATION_PATH}/validationEvents/${correlationId}`), path };
      return caller.perform({ request, auth, read: readValidation }, context);
    },
  };
}

function readValidation(body: unknown, path: string): ValidationResult {
  const value = readWire(validationSchema, lowerKeys(body, 2), 'partner-center', path);
  return {
    correlationId: value.correlationid,
    status: value.status,
    attempts: (value.results ?? []).map((result) => ({ responseCode: result.responsecode, systemError: result.systemerror, ...(result.datetimeutc ? { dateTimeUtc: result.datetimeutc } : {}) })),
  };
}

/** Lower-cases object keys (`depth` levels, arrays included); anything else is returned as is. */
function lowerKeys(value: unknown, depth = 1): unknown {
  if (Array.isArray(value)) return depth > 0 ? value.map((item) => lowerKeys(item, depth)) : value;
  if (typeof value !== 'object' || value === null || depth < 1) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.toLowerCase(), lowerKeys(inner, depth - 1)]));
}
