/**
 * `{base}/webhooks/v1/registration…` (partner-center.md §6): GET/POST/PUT the one registration, the events
 * on offer, and validation events — a signed `test-created` sent to the registered URL, whose delivery
 * result can be read back by correlation id.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/ports.ts';
import type { RouteFn } from './api-areas.ts';
import type { PartnerCenterRequest } from './partner-center-request.ts';
import { readJsonBody, sendJson, sendPartnerCenterError } from './sim-http.ts';
import { toDeliveryAttempt, type Deliver } from './webhooks/webhook-delivery.ts';
import type { WebhookEventBuilders } from './webhooks/webhook-events.ts';
import type { Registration } from './webhooks/webhook-registry.ts';

/** Event names Partner Center offers (the ones the bot handles, and a few it does not). */
export const OFFERED_WEBHOOK_EVENTS: readonly string[] = Object.freeze([
  'test-created',
  'customer-created',
  'subscription-updated',
  'usagerecords-thresholdExceeded',
  'invoice-ready',
  'referral-created',
  'referral-updated',
  'reseller-relationship-accepted-by-customer',
  'indirect-reseller-relationship-accepted-by-customer',
  'dap-admin-relationship-approved',
  'dap-admin-relationship-terminated',
  'dap-admin-relationship-terminated-by-microsoft',
  'granular-admin-relationship-approved',
  'granular-admin-relationship-activated',
  'granular-admin-relationship-terminated',
  'granular-admin-relationship-expired',
  'granular-admin-access-assignment-created',
  'granular-admin-access-assignment-activated',
  'granular-admin-access-assignment-updated',
  'granular-admin-access-assignment-deleted',
]);

const BASE = '/webhooks/v1/registration';
const BODY_LIMIT_BYTES = 16 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface RegistrationRouteOptions {
  deliver: Deliver;
  events: WebhookEventBuilders;
  clock: Clock;
  partnerTenantId: string;
}

export function createRegistrationRoutes(options: RegistrationRouteOptions): RouteFn {
  async function answerSave(call: PartnerCenterRequest, method: 'POST' | 'PUT'): Promise<void> {
    const registry = call.state.webhooks;
    const existing = registry.get();
    if (method === 'POST' && existing) return sendPartnerCenterError(call.response, 409, 'A registration already exists for this partner; update it with PUT.', call.echoHeaders);
    if (method === 'PUT' && !existing) return sendPartnerCenterError(call.response, 404, 'There is no registration to update; create one with POST.', call.echoHeaders);
    const input = toRegistration(await readJson(call), existing?.subscriberId ?? randomUUID());
    if (typeof input === 'string') return sendPartnerCenterError(call.response, 400, input, call.echoHeaders);
    registry.save(input);
    sendJson(call.response, 200, toWireRegistration(input), call.echoHeaders);
  }

  function answerValidation(call: PartnerCenterRequest): void {
    const registration = call.state.webhooks.get();
    if (!registration?.events.includes('test-created')) return sendPartnerCenterError(call.response, 400, 'Register for test-created before sending validation events.', call.echoHeaders);
    const waitSeconds = call.state.webhooks.takeValidationSlot();
    if (waitSeconds !== undefined) return sendPartnerCenterError(call.response, 429, 'Only two validation events per minute.', { ...call.echoHeaders, 'Retry-After': String(waitSeconds) });
    const correlationId = randomUUID();
    const validation = { correlationId, status: 'pending' as const, callbackUrl: registration.webhookUrl, results: [] as ReturnType<typeof toDeliveryAttempt>[] };
    call.state.webhooks.addValidation(validation);
    void options.deliver(options.events.testCreated(correlationId)).then((result) => {
      validation.results.push(toDeliveryAttempt(result, options.clock.now()));
      Object.assign(validation, { status: 'completed' });
    });
    sendJson(call.response, 200, { correlationId }, call.echoHeaders);
  }

  function answerValidationResult(call: PartnerCenterRequest, correlationId: string): void {
    const validation = call.state.webhooks.getValidation(correlationId);
    if (!validation) return sendPartnerCenterError(call.response, 404, `No validation event ${correlationId}.`, call.echoHeaders);
    sendJson(call.response, 200, { ...validation, partnerId: options.partnerTenantId }, call.echoHeaders);
  }

  async function route(call: PartnerCenterRequest, method: string, path: string): Promise<void> {
    if (path === BASE && method === 'GET') {
      const registration = call.state.webhooks.get();
      return registration ? sendJson(call.response, 200, toWireRegistration(registration), call.echoHeaders) : sendPartnerCenterError(call.response, 404, 'No registration exists for this partner.', call.echoHeaders);
    }
    if (path === BASE && (method === 'POST' || method === 'PUT')) return answerSave(call, method);
    if (path === `${BASE}/events` && method === 'GET') return sendJson(call.response, 200, OFFERED_WEBHOOK_EVENTS, call.echoHeaders);
    if (path === `${BASE}/validationEvents` && method === 'POST') return answerValidation(call);
    if (path.startsWith(`${BASE}/validationEvents/`) && method === 'GET') return answerValidationResult(call, decodeURIComponent(path.slice(`${BASE}/validationEvents/`.length)));
    sendPartnerCenterError(call.response, 404, 'The requested resource was not found.', call.echoHeaders);
  }

  return function routeRegistration(call) {
    const path = call.url.pathname;
    if (path !== BASE && !path.startsWith(`${BASE}/`)) return false;
    route(call, call.request.method ?? 'GET', path).catch(() => sendPartnerCenterError(call.response, 400, 'The request body could not be read.', call.echoHeaders));
    return true;
  };
}

function readJson(call: PartnerCenterRequest): Promise<unknown> {
  return readJsonBody(call.request, BODY_LIMIT_BYTES);
}

/** The body as a registration, or what is wrong with it. Keys are matched case-insensitively, as .NET binds them. */
function toRegistration(body: unknown, subscriberId: string): Registration | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object with WebhookUrl and WebhookEvents.';
  const fields = Object.fromEntries(Object.entries(body).map(([key, value]) => [key.toLowerCase(), value as unknown]));
  const { webhookurl: webhookUrl, webhookevents: events } = fields;
  if (typeof webhookUrl !== 'string' || !isAcceptableUrl(webhookUrl)) return 'WebhookUrl must be an https URL (http only on loopback).';
  if (!Array.isArray(events) || events.length === 0 || !events.every((name) => typeof name === 'string')) return 'WebhookEvents must be a non-empty list of event names.';
  const unknown = (events as string[]).filter((name) => !OFFERED_WEBHOOK_EVENTS.includes(name));
  if (unknown.length) return `Unknown webhook events: ${unknown.slice(0, 5).join(', ')}.`;
  return { subscriberId, webhookUrl, events: [...new Set(events as string[])], signatureHeader: fields.signaturetokentomssignatureheader === true ? 'x-ms-signature' : 'authorization' };
}

function isAcceptableUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

function toWireRegistration(registration: Registration): Record<string, unknown> {
  return { SubscriberId: registration.subscriberId, WebhookUrl: registration.webhookUrl, WebhookEvents: registration.events };
}
