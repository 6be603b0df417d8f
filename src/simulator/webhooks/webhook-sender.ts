/**
 * Delivers Partner Center-style webhooks: the body is serialised once and those exact bytes are both
 * signed (RSA-SHA256, PKCS#1 v1.5) and posted, as Partner Center does. Headers match the real ones:
 * `Authorization: Signature <base64>` (or `x-ms-signature`), `x-ms-certificate-url`,
 * `x-ms-signature-algorithm: rsa-sha256`.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { PartnerCenterWebhookEvent } from './webhook-events.ts';

export interface WebhookSenderOptions {
  /** The bot's full webhook URL, `?token=…` included. */
  targetUrl: string;
  signingKeyPem: string;
  certificateUrl: string;
  /** Where the signature goes; Partner Center uses Authorization unless the registration chose x-ms-signature. */
  signatureHeader?: 'authorization' | 'x-ms-signature';
  fetch?: typeof fetch;
}

export interface SignedWebhook {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface WebhookSender {
  /** The request that `send` would post, for tests that tamper with one part of it. */
  sign(event: PartnerCenterWebhookEvent): SignedWebhook;
  /** Posts the event and resolves with the HTTP status the bot answered. */
  send(event: PartnerCenterWebhookEvent): Promise<number>;
}

export function signWebhookBody(body: Buffer, key: KeyObject | string): string {
  return sign('RSA-SHA256', body, key).toString('base64');
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const key = createPrivateKey(options.signingKeyPem);
  const post = options.fetch ?? fetch;
  const signatureHeader = options.signatureHeader ?? 'authorization';

  function signEvent(event: PartnerCenterWebhookEvent): SignedWebhook {
    const body = Buffer.from(JSON.stringify(event), 'utf8');
    return {
      url: options.targetUrl,
      body,
      headers: {
        [signatureHeader]: `Signature ${signWebhookBody(body, key)}`,
        'x-ms-certificate-url': options.certificateUrl,
        'x-ms-signature-algorithm': 'rsa-sha256',
        'content-type': 'application/json',
      },
    };
  }

  return {
    sign: signEvent,
    async send(event) {
      const signed = signEvent(event);
      const response = await post(signed.url, { method: 'POST', headers: signed.headers, body: signed.body, redirect: 'manual' });
      // Drain the answer so the connection is released; the status is all the caller needs.
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    },
  };
}
