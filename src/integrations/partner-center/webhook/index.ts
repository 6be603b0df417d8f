/** The Partner Center webhook verifier: what the bot's webhook route needs, and nothing more. */
export {
  createWebhookVerifier,
  DEFAULT_KEY_CACHE_SIZE,
  DEFAULT_KEY_CACHE_TTL_MS,
  type WebhookRejectReason,
  type WebhookRequest,
  type WebhookVerification,
  type WebhookVerifier,
  type WebhookVerifierOptions,
} from './verify-webhook.ts';
export { createCertificateFetcher, CertificateFetchError, type CertificateFetchOptions, type FetchCertificate } from './fetch-certificate.ts';
export { checkCertificateUrl, isLoopbackHost, normaliseCertificateUrlPrefixes } from './certificate-url.ts';
