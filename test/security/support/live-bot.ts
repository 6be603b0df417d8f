import { SIMULATOR_CLIENT_ID, SIMULATOR_PARTNER_TENANT_ID } from '../../../src/simulator/defaults.ts';
import { startSimulator, type PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';
import { createWebhookSender, simulatorCertificateFile, type PartnerCenterWebhookEvent, type SignedWebhook } from '../../../src/simulator/webhooks/index.ts';
import { SLACK_ADMIN_USER, startBotUnderTest, type BotUnderTest } from '../../component/support/bot-under-test.ts';
import { createFakeBotOpenId, type FakeBotOpenId } from '../../fakes/fake-bot-openid.ts';
import { buildSlashCommandRequest } from '../../fakes/slack-request.ts';
import { FAKE_BOT_APP_ID, FAKE_TENANT_ID } from '../../fakes/teams-activity.ts';
import { PRODUCTION_CERT_PREFIX } from '../../support/webhook-certificate-variants.ts';
import { fixtureText, startCertServer, type CertServer } from '../../unit/integrations/webhook/support.ts';
import { PARTNER_CENTER_CLIENT_SECRET_SENTINEL, REFRESH_TOKEN_SENTINEL, SENTINELS, SLACK_SIGNING_SECRET_SENTINEL, WEBHOOK_TOKEN_SENTINEL } from './sentinels.ts';

/** The folders of the certificate server the bot may fetch from (plus Microsoft's production prefix). */
export const CERT_FOLDERS = ['/cert/', '/fixtures/', '/redirect/'] as const;
const PARTNER_CENTER_TUNING = { timeoutMs: 300, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, budgetMs: 1000, maxRetryAfterMs: 1000 } };

export interface LiveBot {
  harness: BotUnderTest;
  simulator: PartnerCenterSimulator;
  certServer: CertServer;
  openId: FakeBotOpenId;
  /** Every allowed certificate URL prefix, as configured. */
  certPrefixes: string[];
  /** A webhook signed like Partner Center signs it, with the certificate on the loopback certificate server. */
  signWebhook(event: PartnerCenterWebhookEvent, options?: { certificate?: string; key?: string }): SignedWebhook;
  /** Posts a (possibly tampered) signed webhook; resolves with the status. */
  postWebhook(signed: SignedWebhook): Promise<number>;
  /** `/partner <text>` from the Slack admin, signed; resolves with the status. */
  slackCommand(text: string, userId?: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The real bot in live mode with every secret set to a sentinel: Partner Center and Entra are the simulator
 * (accepting only the sentinel client secret and refresh token), webhook certificates come from the loopback
 * certificate server under configured prefixes, Teams tokens are checked against the loopback OpenID fake.
 */
export async function startLiveBot(env: NodeJS.ProcessEnv = {}): Promise<LiveBot> {
  const simulator = await startSimulator({ clientSecret: PARTNER_CENTER_CLIENT_SECRET_SENTINEL, refreshToken: REFRESH_TOKEN_SENTINEL });
  const certServer = await startCertServer();
  const openId = createFakeBotOpenId();
  await openId.start();
  const certPrefixes = [PRODUCTION_CERT_PREFIX, ...CERT_FOLDERS.map((folder) => `${certServer.url}${folder}`)];
  const harness = await startBotUnderTest(
    {
      ...SENTINELS,
      PARTNER_TENANT_ID: SIMULATOR_PARTNER_TENANT_ID,
      PARTNER_CENTER_CLIENT_ID: SIMULATOR_CLIENT_ID,
      PARTNER_CENTER_API_URL: simulator.url,
      GRAPH_API_URL: simulator.url,
      ENTRA_AUTHORITY_URL: simulator.url,
      PARTNER_DISPLAY_NAME: 'Fabrikam Cloud Services GmbH',
      PARTNER_CENTER_CERT_URL_PREFIXES: certPrefixes.join(','),
      PARTNER_CENTER_TRUSTED_CA_FILE: simulatorCertificateFile('simulator-ca.pem'),
      MicrosoftAppId: FAKE_BOT_APP_ID,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: FAKE_TENANT_ID,
      POLL_INTERVAL_MINUTES: '0',
      ...env,
    },
    { teamsAuthOverrides: openId.authOverrides(), partnerCenterTuning: PARTNER_CENTER_TUNING },
  );
  const webhookUrl = `${harness.url}/api/partner-center/webhook?token=${encodeURIComponent(WEBHOOK_TOKEN_SENTINEL)}`;
  return {
    harness,
    simulator,
    certServer,
    openId,
    certPrefixes,
    signWebhook: (event, { certificate = '/cert/simulator-signing.cer', key = 'simulator-signing.key.pem' } = {}) =>
      createWebhookSender({ targetUrl: webhookUrl, signingKeyPem: fixtureText(key), certificateUrl: `${certServer.url}${certificate}` }).sign(event),
    async postWebhook(signed) {
      const response = await fetch(signed.url, { method: 'POST', headers: signed.headers, body: signed.body, redirect: 'manual' });
      await response.arrayBuffer();
      return response.status;
    },
    async slackCommand(text, userId = SLACK_ADMIN_USER) {
      const request = buildSlashCommandRequest({ signingSecret: SLACK_SIGNING_SECRET_SENTINEL, text, userId });
      const response = await harness.post('/slack/events', request.body, request.headers);
      await response.arrayBuffer();
      return response.status;
    },
    async stop() {
      await harness.stop();
      await Promise.all([simulator.stop(), certServer.stop(), openId.stop()]);
    },
  };
}
