/** Partner Center webhooks for local mode and tests: signed delivery, the events, the certificate route. */
export {
  CERTIFICATE_ROUTE_PREFIX,
  createCertificateRoute,
  serveCertificate,
  SIMULATOR_CERTIFICATE_NAME,
  SIMULATOR_CERTIFICATE_PATH,
  simulatorCertificateFile,
  simulatorCertificateUrls,
  simulatorWebhookIdentity,
  type SimulatorWebhookIdentity,
} from './certificates.ts';
export {
  createWebhookEventBuilders,
  formatResourceChangeUtcDate,
  PARTNER_CENTER_BASE_URL,
  type AccessAssignmentChange,
  type GdapRelationshipChange,
  type PartnerCenterWebhookEvent,
  type WebhookEventBuilderOptions,
  type WebhookEventBuilders,
} from './webhook-events.ts';
export { createWebhookSender, signWebhookBody, type SignedWebhook, type WebhookSender, type WebhookSenderOptions } from './webhook-sender.ts';
export { createWebhookDelivery, toStatusName, type Deliver, type DeliveryResult } from './webhook-delivery.ts';
export { createWebhookRegistry, type Registration, type WebhookRegistry } from './webhook-registry.ts';
