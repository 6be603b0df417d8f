import assert from 'node:assert/strict';
import { isHandledEventName, redactWebhookUrl, registerWebhook, toWebhookUrl, validateWebhook } from '../../../../src/integrations/partner-center/register-webhook.ts';
import { expectAppError } from './harness.ts';
import { startMicrosoftHarness, type MicrosoftHarness } from '../microsoft-harness.ts';
import { isSignedBySimulator, startWebhookReceiver, type WebhookReceiver } from '../../simulator/webhook-receiver.ts';

const FAST_POLLING = { intervalMs: 20, timeoutMs: 3_000 };

describe('Partner Center client: webhook registration', () => {
  let harness: MicrosoftHarness;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    harness = await startMicrosoftHarness();
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await harness.close();
    await receiver.stop();
  });

  it('when nothing is registered, then POST registers the offered events the bot handles; the next run PUTs', async () => {
    const client = harness.clients.webhookRegistration;
    const first = await registerWebhook(client, receiver.url, harness.context());
    assert.equal(first.action, 'created');
    assert.ok(first.events.includes('test-created') && first.events.includes('dap-admin-relationship-terminated') && first.events.includes('granular-admin-relationship-expired'));
    assert.ok(!first.events.includes('invoice-ready'), 'events the bot ignores are not registered');
    assert.equal(first.events.length, 14);
    const second = await registerWebhook(client, `${receiver.url}-2`, harness.context());
    assert.equal(second.action, 'updated');
    assert.equal(harness.simulator.controls.webhookRegistration()?.webhookUrl, `${receiver.url}-2`);
    const writes = harness.simulator.controls.requests.filter((request) => request.path === '/webhooks/v1/registration' && request.method !== 'GET').map((request) => request.method);
    assert.deepEqual(writes, ['POST', 'PUT']);
  });

  it('when a validation event is sent, then it arrives signed and the polled result says it was delivered', async () => {
    const client = harness.clients.webhookRegistration;
    await registerWebhook(client, receiver.url, harness.context());
    const outcome = await validateWebhook(client, harness.context(), FAST_POLLING);
    assert.equal(outcome.delivered, true);
    assert.equal(outcome.responseCode, 'OK');
    assert.equal(outcome.status, 'completed');
    const [webhook] = await receiver.waitFor(1);
    assert.ok(webhook && isSignedBySimulator(webhook));
    assert.match(webhook?.json.ResourceUri as string, new RegExp(`${outcome.correlationId}$`));
  });

  it('when the receiver refuses the test event, then the outcome is not delivered and names the answer', async () => {
    const client = harness.clients.webhookRegistration;
    await registerWebhook(client, receiver.url, harness.context());
    receiver.answer(401);
    const outcome = await validateWebhook(client, harness.context(), FAST_POLLING);
    assert.deepEqual([outcome.delivered, outcome.responseCode], [false, 'Unauthorized']);
  });

  it('when nothing is registered yet, then getRegistration is undefined without a warning, and a validation event is refused', async () => {
    const client = harness.clients.webhookRegistration;
    assert.equal(await client.getRegistration(harness.context()), undefined);
    assert.equal(harness.captured.lines.filter((line) => line.msg === 'Partner Center call failed').length, 0);
    await expectAppError(client.sendValidationEvent(harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
  });

  it('when registering, then the webhook token never reaches the log', async () => {
    const client = harness.clients.webhookRegistration;
    harness.simulator.controls.failNext(1, 503, '/webhooks/');
    await registerWebhook(client, receiver.url, harness.context());
    assert.ok(harness.captured.lines.some((line) => line.msg === 'retrying Partner Center call'));
    assert.ok(!harness.captured.text().includes('secret-token'));
  });
});

describe('webhook URL helpers', () => {
  it('builds the bot URL with the token encoded, and redacts every query value for printing', () => {
    const url = toWebhookUrl('https://bot.example.com/', 'a+b/c');
    assert.equal(url, 'https://bot.example.com/api/partner-center/webhook?token=a%2Bb%2Fc');
    assert.equal(redactWebhookUrl(url), 'https://bot.example.com/api/partner-center/webhook?token=***');
    assert.equal(redactWebhookUrl('https://user:pw@bot.example.com/x?token=t&other=o'), 'https://bot.example.com/x?token=***&other=***');
  });

  it('knows which event names the bot handles', () => {
    assert.equal(isHandledEventName('reseller-relationship-accepted-by-customer'), true);
    assert.equal(isHandledEventName('test-created'), true);
    assert.equal(isHandledEventName('invoice-ready'), false);
  });
});
