import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Config } from './config.ts';
import { createEventIntake, type EventRecorder } from './core/events/ingest-event.ts';
import { createPartnerCenterWebhookRoute } from './http/partner-center-webhook.ts';
import type { Route } from './http/http-types.ts';
import type { Metrics } from './http/metrics.ts';
import { createWebhookVerifier } from './integrations/partner-center/webhook/index.ts';
import type { Logger } from './logger.ts';
import { PARTNER_CENTER_BASE_URL, simulatorCertificateUrls, simulatorWebhookIdentity } from './simulator/webhooks/index.ts';

export interface WebhookSetup {
  route: Route;
  /** The `?token=` the webhook URL must carry (local mode makes one up per process). */
  token: string;
}

/**
 * Live mode trusts Microsoft's certificates (plus PARTNER_CENTER_TRUSTED_CA_FILE); local mode trusts only
 * the simulator's own CA, served by the simulator (its own or SIMULATOR_URL's). Production never runs in local mode (config).
 */
export function setUpWebhooks(config: Readonly<Config>, recorder: EventRecorder, simulatorUrl: string | undefined, deps: { log: Logger; metrics: Metrics }): WebhookSetup {
  const local = simulatorUrl !== undefined;
  const token = config.PARTNER_CENTER_WEBHOOK_TOKEN ?? randomBytes(24).toString('base64url');
  const verifier = createWebhookVerifier({
    token,
    certUrlPrefixes: local ? [simulatorCertificateUrls(simulatorUrl).prefix] : config.PARTNER_CENTER_CERT_URL_PREFIXES,
    trustedCaPem: local ? simulatorWebhookIdentity().caPem : readTrustedCa(config.PARTNER_CENTER_TRUSTED_CA_FILE),
  });
  // The simulator writes real Partner Center URIs into its events, as Microsoft does.
  const ingest = createEventIntake(recorder, new URL(local ? PARTNER_CENTER_BASE_URL : config.PARTNER_CENTER_API_URL).hostname);
  return { route: createPartnerCenterWebhookRoute({ verifier, ingest, log: deps.log.child({ integration: 'partner-center-webhook' }), registry: deps.metrics.registry }), token };
}

function readTrustedCa(file: string | undefined): string | undefined {
  return file ? readFileSync(file, 'utf8') : undefined;
}
