import assert from 'node:assert/strict';
import { toDomainEvent } from '../../../src/core/events/partner-center-event.ts';
import { OFFERED_WEBHOOK_EVENTS } from '../../../src/simulator/webhook-registration.routes.ts';
import { startSimulator, type PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';
import { accessToken, call, get } from './sim-client.ts';
import { isSignedBySimulator, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

const BASE = '/webhooks/v1/registration';

describe('simulator: webhook registration', () => {
  let simulator: PartnerCenterSimulator;
  let receiver: WebhookReceiver;
  let token: string;
  beforeEach(async () => {
    simulator = await startSimulator();
    receiver = await startWebhookReceiver();
    token = await accessToken(simulator, 'app-only');
  });
  afterEach(async () => {
    await simulator.stop();
    await receiver.stop();
  });

  const send = (method: 'POST' | 'PUT', path: string, body?: unknown) =>
    call(`${simulator.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'MS-CorrelationId': 'corr-1' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  async function completed(correlationId: string) {
    let result = await get(simulator, `${BASE}/validationEvents/${correlationId}`, token);
    for (let tries = 0; result.json.status !== 'completed' && tries < 100; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      result = await get(simulator, `${BASE}/validationEvents/${correlationId}`, token);
    }
    return result;
  }
  const register = (method: 'POST' | 'PUT', events: string[] = ['test-created', 'reseller-relationship-accepted-by-customer']) => send(method, BASE, { WebhookUrl: receiver.url, WebhookEvents: events });

  it('when there is no registration, then GET and PUT are 404; POST creates it once; PUT replaces it', async () => {
    assert.equal((await get(simulator, BASE, token)).status, 404);
    assert.equal((await register('PUT')).status, 404);
    const created = await register('POST');
    assert.equal(created.status, 200);
    assert.equal(created.headers.get('ms-correlationid'), 'corr-1');
    assert.deepEqual(created.json.WebhookEvents, ['test-created', 'reseller-relationship-accepted-by-customer']);
    assert.ok(created.json.SubscriberId);
    assert.equal((await register('POST')).status, 409);
    const updated = await register('PUT', ['test-created']);
    assert.equal(updated.status, 200);
    assert.equal(updated.json.SubscriberId, created.json.SubscriberId);
    assert.deepEqual((await get(simulator, BASE, token)).json.WebhookEvents, ['test-created']);
  });

  it('when the body is wrong, then 400: not JSON, http off loopback, unknown or no events', async () => {
    assert.equal((await send('POST', BASE, 'not json')).status, 400);
    assert.equal((await send('POST', BASE, { WebhookUrl: 'http://bot.example.com/hook', WebhookEvents: ['test-created'] })).status, 400);
    assert.equal((await send('POST', BASE, { WebhookUrl: receiver.url, WebhookEvents: ['made-up-event'] })).status, 400);
    assert.equal((await send('POST', BASE, { WebhookUrl: receiver.url, WebhookEvents: [] })).status, 400);
    assert.equal((await get(simulator, BASE, token)).status, 404, 'nothing was registered');
  });

  it('when the events on offer are listed, then every event the bot handles is there', async () => {
    const answer = await get(simulator, `${BASE}/events`, token);
    assert.deepEqual(answer.json, OFFERED_WEBHOOK_EVENTS);
    const understood = OFFERED_WEBHOOK_EVENTS.filter((name) => toDomainEvent({ EventName: name }, 'api.partnercenter.microsoft.com').kind !== 'unknown');
    assert.equal(understood.length, 14, 'the 13 notification events and test-created');
  });

  it('when a validation event is sent, then a signed test-created arrives and its delivery result reads back', async () => {
    await register('POST');
    const sent = await send('POST', `${BASE}/validationEvents`);
    assert.equal(sent.status, 200);
    const correlationId = sent.json.correlationId as string;
    const [webhook] = await receiver.waitFor(1);
    assert.equal(webhook?.url, '/hook?token=secret-token');
    assert.equal(webhook?.json.EventName, 'test-created');
    assert.match(webhook?.json.ResourceUri as string, new RegExp(`/webhooks/v1/registration/validationEvents/${correlationId}$`));
    assert.ok(webhook && isSignedBySimulator(webhook));
    assert.equal(webhook?.headers['x-ms-signature-algorithm'], 'rsa-sha256');
    assert.equal(webhook?.headers['x-ms-certificate-url'], `${simulator.url}/cert/simulator-signing.cer`);
    const result = await completed(correlationId);
    assert.equal(result.json.status, 'completed');
    assert.equal((result.json.results as { responseCode: string }[])[0]?.responseCode, 'OK');
  });

  it('when the bot refuses the test event, then the result says so; a third validation event within a minute is throttled', async () => {
    await register('POST');
    receiver.answer(401);
    const first = await send('POST', `${BASE}/validationEvents`);
    const result = await completed(first.json.correlationId as string);
    assert.equal((result.json.results as { responseCode: string }[])[0]?.responseCode, 'Unauthorized');
    assert.equal((await send('POST', `${BASE}/validationEvents`)).status, 200);
    const third = await send('POST', `${BASE}/validationEvents`);
    assert.equal(third.status, 429);
    assert.ok(Number(third.headers.get('retry-after')) > 0);
  });

  it('when test-created is not registered, then no validation event can be sent', async () => {
    await register('POST', ['reseller-relationship-accepted-by-customer']);
    assert.equal((await send('POST', `${BASE}/validationEvents`)).status, 400);
  });

  it('when the registration is asked for without a token, then 401', async () => {
    assert.equal((await get(simulator, BASE, undefined)).status, 401);
  });
});
