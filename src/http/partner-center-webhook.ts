import { Counter, type Registry } from 'prom-client';
import type { IngestResult } from '../core/events/ingest-event.ts';
import type { PartnerCenterWebhookBody } from '../core/events/partner-center-event.ts';
import type { Logger } from '../logger.ts';
import type { HttpRequest, HttpResponse, Route } from './http-types.ts';

export const WEBHOOK_PATH = '/api/partner-center/webhook';

export interface WebhookVerifier {
  verify(request: Pick<HttpRequest, 'rawBody' | 'query' | 'headers'>): Promise<{ ok: true } | { ok: false; status: 400 | 401; reason: string }>;
}

export interface WebhookRouteDependencies {
  verifier: WebhookVerifier;
  ingest: (body: PartnerCenterWebhookBody) => Promise<IngestResult>;
  log: Logger;
  registry: Registry;
}

/**
 * `POST /api/partner-center/webhook`: verify on the raw bytes (nothing is parsed before), then parse,
 * store the event and its notifications durably, and only then answer 200. Rejections say nothing about
 * which check failed; the log and the metric do.
 */
export function createPartnerCenterWebhookRoute(deps: WebhookRouteDependencies): Route {
  const received = new Counter({
    name: 'partner_center_webhooks_total',
    help: 'Partner Center webhook deliveries, by outcome (recorded, duplicate, test, rejected) and domain event kind or rejection reason',
    labelNames: ['outcome', 'kind'],
    registers: [deps.registry],
  });
  return {
    method: 'POST',
    path: WEBHOOK_PATH,
    handler: async (request) => {
      const verdict = await deps.verifier.verify(request);
      if (!verdict.ok) {
        received.inc({ outcome: 'rejected', kind: verdict.reason });
        deps.log.warn({ reason: verdict.reason, status: verdict.status }, 'partner center webhook refused');
        return { status: verdict.status, body: { error: verdict.status === 400 ? 'bad request' : 'unauthorized' } };
      }
      const body = parseBody(request.rawBody);
      if (!body) {
        received.inc({ outcome: 'rejected', kind: 'body not a JSON object' });
        return { status: 400, body: { error: 'bad request' } };
      }
      const result = await deps.ingest(body);
      received.inc({ outcome: result.outcome, kind: result.event.kind });
      deps.log.info({ eventName: result.event.eventName, kind: result.event.kind, outcome: result.outcome, customerId: result.event.customerId }, 'partner center webhook');
      return toResponse(result);
    },
  };
}

function parseBody(rawBody: Buffer): PartnerCenterWebhookBody | undefined {
  try {
    const value: unknown = JSON.parse(rawBody.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as PartnerCenterWebhookBody) : undefined;
  } catch {
    return undefined;
  }
}

function toResponse(result: IngestResult): HttpResponse {
  return { status: 200, body: { status: result.outcome } };
}
