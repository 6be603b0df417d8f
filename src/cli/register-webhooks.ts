/**
 * `npm run webhooks:register`: registers `PUBLIC_URL/api/partner-center/webhook?token=…` with Partner Center
 * for every event on offer that the bot handles (PUT when a registration exists, else POST), then asks
 * Partner Center for a test event and polls until it knows whether the bot took it. Uses App-only
 * credentials (enough for registration); prints the URL only with its token replaced by ***.
 */
import { randomUUID } from 'node:crypto';
import { loadDotEnv, readConfig, type Config } from '../config.ts';
import { isAppError } from '../core/errors.ts';
import { createMicrosoftClients } from '../integrations/microsoft-clients.ts';
import { redactWebhookUrl, registerWebhook, toWebhookUrl, validateWebhook } from '../integrations/partner-center/register-webhook.ts';
import type { WebhookRegistrationClient } from '../integrations/partner-center/webhook-registration.client.ts';
import { createLogger } from '../logger.ts';
import { liveClientTarget } from '../partner-center-setup.ts';

const POLLING = { intervalMs: 2_000, timeoutMs: 60_000 };
const NO_REFRESH_TOKEN = { get: async () => undefined, set: async () => undefined };

class CliError extends Error {}

function requireLiveSettings(config: Readonly<Config>): { publicUrl: string; token: string } {
  if (config.mode === 'local') {
    throw new CliError('This registers the bot with Partner Center and needs live mode: set PARTNER_TENANT_ID, PARTNER_CENTER_CLIENT_ID and PARTNER_CENTER_CLIENT_SECRET. In local mode the bot registers itself with the built-in simulator at start.');
  }
  if (!config.PUBLIC_URL) throw new CliError('PUBLIC_URL is not set: the webhook URL is PUBLIC_URL + /api/partner-center/webhook.');
  // Live-mode configuration already requires the token; this keeps the type honest.
  if (!config.PARTNER_CENTER_WEBHOOK_TOKEN) throw new CliError('PARTNER_CENTER_WEBHOOK_TOKEN is not set.');
  return { publicUrl: config.PUBLIC_URL, token: config.PARTNER_CENTER_WEBHOOK_TOKEN };
}

function createRegistrationClient(config: Readonly<Config>): WebhookRegistrationClient {
  // Client warnings would repeat what this command prints; LOG_LEVEL=debug shows them on stderr.
  const verbose = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace';
  return createMicrosoftClients({
    ...liveClientTarget(config),
    refreshTokens: NO_REFRESH_TOKEN,
    log: createLogger(verbose ? config.LOG_LEVEL : 'silent', process.stderr),
  }).webhookRegistration;
}

async function main(): Promise<number> {
  loadDotEnv();
  const config = readConfig();
  const { publicUrl, token } = requireLiveSettings(config);
  const webhookUrl = toWebhookUrl(publicUrl, token);
  const shownUrl = redactWebhookUrl(webhookUrl);
  const client = createRegistrationClient(config);
  const context = { locale: 'en' as const, correlationId: randomUUID() };
  if (!webhookUrl.startsWith('https://')) process.stdout.write(`Warning: ${shownUrl} is not https; Partner Center delivers only to https URLs.\n`);

  const registered = await registerWebhook(client, webhookUrl, context);
  process.stdout.write(`Webhook ${registered.action}: ${shownUrl}\n  ${registered.events.length} events: ${registered.events.join(', ')}\n`);

  const outcome = await validateWebhook(client, context, POLLING).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'PARTNER_CENTER.THROTTLED') throw new CliError('The registration is saved, but Partner Center sends at most two test events a minute: run this again in a minute to test delivery.');
    throw error;
  });
  if (outcome.delivered) {
    process.stdout.write(`Test event delivered: the bot answered ${outcome.responseCode} (correlation id ${outcome.correlationId}).\n`);
    return 0;
  }
  const why = outcome.responseCode
    ? `the bot answered ${outcome.responseCode}; check that the running bot has the same PARTNER_CENTER_WEBHOOK_TOKEN and is reachable at PUBLIC_URL`
    : `no delivery result within ${POLLING.timeoutMs / 1000} s (status ${outcome.status})`;
  process.stdout.write(`Test event NOT delivered: ${why} (correlation id ${outcome.correlationId}).\n`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const correlation = isAppError(error) && error.params.correlationId ? ` (${error.code}, correlation id ${error.params.correlationId})` : '';
    process.stderr.write(`webhooks:register: ${error instanceof Error ? error.message : String(error)}${correlation}\n`);
    process.exit(1);
  },
);
