import assert from 'node:assert/strict';
import { SAMPLE_CUSTOMERS } from '../../src/simulator/seed.ts';
import { createWebhookEventBuilders, signWebhookBody, simulatorCertificateUrls, simulatorWebhookIdentity } from '../../src/simulator/webhooks/index.ts';
import { buildPersonalMessage } from '../fakes/teams-activity.ts';
import { startBotUnderTest, type BotUnderTest } from './support/bot-under-test.ts';

const events = createWebhookEventBuilders();

interface Attempt {
  body: Buffer;
  headers: Record<string, string>;
  token: string;
}

/** Each way a delivery can be wrong, and the status the domain document prescribes for it. */
type Change = (attempt: Attempt, simulatorUrl: string, sign: (attempt: Attempt) => void) => void;

const CASES: Array<{ name: string; status: number; change: Change }> = [
  { name: 'a signature over other bytes', status: 401, change: (a) => (a.body = Buffer.from(a.body.toString('utf8').replace('Customer', 'Kunde'))) },
  { name: 'no signature', status: 401, change: (a) => delete a.headers.authorization },
  { name: 'no certificate URL', status: 400, change: (a) => delete a.headers['x-ms-certificate-url'] },
  { name: 'no algorithm', status: 400, change: (a) => delete a.headers['x-ms-signature-algorithm'] },
  { name: 'an unknown algorithm', status: 400, change: (a) => (a.headers['x-ms-signature-algorithm'] = 'rsa-sha1') },
  { name: 'a wrong token', status: 401, change: (a) => (a.token = 'not-the-token') },
  { name: 'http on a public host', status: 401, change: (a) => (a.headers['x-ms-certificate-url'] = 'http://3psostorageacct.blob.core.windows.net/cert/x.cer') },
  { name: 'another host', status: 401, change: (a) => (a.headers['x-ms-certificate-url'] = 'https://evil.example/cert/x.cer') },
  { name: 'the allowed host as a path on another', status: 401, change: (a) => (a.headers['x-ms-certificate-url'] = 'https://evil.example/3psostorageacct.blob.core.windows.net/cert/x.cer') },
  { name: 'userinfo', status: 401, change: (a, sim) => (a.headers['x-ms-certificate-url'] = simulatorCertificateUrls(sim).certificateUrl.replace('http://', 'http://user:pass@')) },
  { name: 'another port', status: 401, change: (a, sim) => (a.headers['x-ms-certificate-url'] = simulatorCertificateUrls(sim).certificateUrl.replace(/:(\d+)\//, (_m, port: string) => `:${Number(port) + 1}/`)) },
  { name: 'a ".." in the path', status: 401, change: (a, sim) => (a.headers['x-ms-certificate-url'] = `${simulatorCertificateUrls(sim).prefix}../cert/simulator-signing.cer`) },
  {
    name: 'a body that is not JSON (signed)',
    status: 400,
    change: (a, _simulatorUrl, sign) => {
      a.body = Buffer.from('this is not json');
      sign(a);
    },
  },
];

describe('Partner Center webhooks: every bad delivery is refused and stores nothing', function () {
  this.timeout(30_000);
  let harness: BotUnderTest;

  before(async () => {
    harness = await startBotUnderTest({ POLL_INTERVAL_MINUTES: '0' });
    await harness.post('/api/messages', buildPersonalMessage({ serviceUrl: harness.connector.url, text: 'subscribe' }));
    await harness.connector.waitForActivities(1);
  });
  after(() => harness.stop());

  /** A correctly signed delivery, then the case's change to it. */
  async function deliver(change: Change): Promise<number> {
    const simulatorUrl = harness.bot.simulator!.url;
    const sign = (attempt: Attempt) => (attempt.headers.authorization = `Signature ${signWebhookBody(attempt.body, simulatorWebhookIdentity().signingKeyPem)}`);
    const attempt: Attempt = {
      body: Buffer.from(JSON.stringify(events.resellerRelationshipAccepted(SAMPLE_CUSTOMERS[0]!.id))),
      headers: { 'content-type': 'application/json', 'x-ms-certificate-url': simulatorCertificateUrls(simulatorUrl).certificateUrl, 'x-ms-signature-algorithm': 'rsa-sha256' },
      token: harness.bot.webhookToken,
    };
    sign(attempt);
    change(attempt, simulatorUrl, sign);
    const response = await fetch(`${harness.url}/api/partner-center/webhook?token=${encodeURIComponent(attempt.token)}`, { method: 'POST', headers: attempt.headers, body: attempt.body });
    await response.arrayBuffer();
    return response.status;
  }

  for (const { name, status, change } of CASES) {
    it(`${name}: ${status}, nothing stored`, async () => {
      assert.equal(await deliver(change), status);
      assert.deepEqual(await harness.bot.store.outbox.counts(), { pending: 0, sending: 0, done: 0, dead: 0 });
    });
  }

  it('a body over 256 KiB: 413 before anything is read or checked, nothing stored', async () => {
    const response = await fetch(`${harness.url}/api/partner-center/webhook?token=${harness.bot.webhookToken}`, { method: 'POST', body: Buffer.alloc(300 * 1024, 'a') });
    assert.equal(response.status, 413);
    assert.deepEqual(await harness.bot.store.outbox.counts(), { pending: 0, sending: 0, done: 0, dead: 0 });
  });

  it('and the same delivery done right is taken (so the cases above fail for their own reason)', async () => {
    assert.equal(await deliver(() => undefined), 200);
    assert.equal((await harness.bot.store.outbox.counts()).pending + (await harness.bot.store.outbox.counts()).sending + (await harness.bot.store.outbox.counts()).done, 1);
  });
});
