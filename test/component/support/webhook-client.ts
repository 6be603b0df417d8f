import type { PartnerCenterWebhookEvent } from '../../../src/simulator/webhooks/index.ts';
import { createWebhookSender, simulatorCertificateUrls, simulatorWebhookIdentity } from '../../../src/simulator/webhooks/index.ts';
import type { BotUnderTest } from './bot-under-test.ts';

/** Sends Partner Center webhooks to the bot under test, signed like the simulator signs them. Returns the status. */
export function webhookClient(harness: BotUnderTest) {
  const { certificateUrl } = simulatorCertificateUrls(harness.bot.simulator!.url);
  return (event: PartnerCenterWebhookEvent, token = harness.bot.webhookToken): Promise<number> =>
    createWebhookSender({
      targetUrl: `${harness.url}/api/partner-center/webhook?token=${encodeURIComponent(token)}`,
      signingKeyPem: simulatorWebhookIdentity().signingKeyPem,
      certificateUrl,
    }).send(event);
}
