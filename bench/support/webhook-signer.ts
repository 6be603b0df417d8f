/**
 * Signed Partner Center webhooks for the benchmarks, signed like the simulator signs them: each one a
 * `reseller-relationship-accepted-by-customer` event for a fresh customer id, so every delivery is a new
 * event (never a dedupe hit), with the headers the bot's webhook route checks.
 */
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { toDedupeKey } from '../../src/core/events/partner-center-event.ts';
import { createWebhookEventBuilders, signWebhookBody, simulatorWebhookIdentity } from '../../src/simulator/webhooks/index.ts';

export interface SignedWebhook {
  headers: Record<string, string>;
  body: Buffer;
  dedupeKey: string;
}

/** Returns a signer for webhooks whose certificate URL is `certificateUrl` (the bot's simulator's). */
export function createSigner(certificateUrl: string): () => SignedWebhook {
  const key: KeyObject = createPrivateKey(simulatorWebhookIdentity().signingKeyPem);
  // Events carry real Partner Center URIs, as the simulator's do: the only host the bot trusts in local mode.
  const events = createWebhookEventBuilders();
  return () => {
    const event = events.resellerRelationshipAccepted(randomUUID());
    const body = Buffer.from(JSON.stringify(event), 'utf8');
    return {
      body,
      dedupeKey: toDedupeKey(event),
      headers: {
        authorization: `Signature ${signWebhookBody(body, key)}`,
        'x-ms-certificate-url': certificateUrl,
        'x-ms-signature-algorithm': 'rsa-sha256',
        'content-type': 'application/json',
      },
    };
  };
}

/** Counts a 200 answer of the webhook route by its `status` field (`recorded`, `duplicate`, `test`), else `other`. */
export function countOutcome(outcomes: Record<string, number>, body: string): void {
  let outcome = 'other';
  try {
    const parsed = JSON.parse(body) as { status?: unknown };
    if (typeof parsed.status === 'string') outcome = parsed.status;
  } catch {
    // counted as `other`
  }
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
}
