import assert from 'node:assert/strict';
import { isLoopback } from '../../../src/simulator/control.routes.ts';
import { startSimulator, type PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';
import { call } from './sim-client.ts';

describe('simulator: control endpoint', () => {
  let simulator: PartnerCenterSimulator;
  beforeEach(async () => {
    simulator = await startSimulator();
  });
  afterEach(() => simulator.stop());

  /** `token: null` sends no Authorization header at all. */
  const post = (name: string, body: string | undefined, token: string | null = simulator.controlToken) =>
    call(`${simulator.url}/_simulator/scenarios/${name}`, { method: 'POST', headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }) });

  it('when the control token is missing or wrong, then 401 and nothing changes', async () => {
    const before = simulator.controls.gdapRelationships().map((relationship) => relationship.status);
    assert.equal((await post('gdap-expire', undefined, null)).status, 401);
    assert.equal((await post('gdap-expire', undefined, `${simulator.controlToken}x`)).status, 401);
    assert.equal((await post('gdap-expire', undefined, '')).status, 401);
    assert.deepEqual(simulator.controls.gdapRelationships().map((relationship) => relationship.status), before);
  });

  it('when a scenario is posted with the token, then it runs and the answer tells the customer, the event and the delivery', async () => {
    const answer = await post('accept', JSON.stringify({ customer: 'Kontrollturm AG' }));
    assert.equal(answer.status, 200);
    assert.equal((answer.json.customer as { companyName: string }).companyName, 'Kontrollturm AG');
    assert.equal((answer.json.event as { EventName: string }).EventName, 'reseller-relationship-accepted-by-customer');
    assert.deepEqual(answer.json.delivery, { delivered: false, reason: 'no webhook is registered' });
    assert.equal(simulator.controls.requestCount(), 0, 'control calls stay out of the request log (their header is a secret)');
  });

  it('when the scenario is unknown, the customer missing, or the scenario not applicable, then 404, 404 and 409 with a message', async () => {
    const unknown = await post('explode', undefined);
    assert.equal(unknown.status, 404);
    assert.match(unknown.json.message as string, /one of: accept, accept-indirect/);
    assert.equal((await post('remove-admin', JSON.stringify({ customer: 'Nobody GmbH' }))).status, 404);
    assert.equal((await post('remove-admin', JSON.stringify({ customer: 'Müller Maschinenbau' }))).status, 409);
  });

  it('when the body is not JSON or the customer not a string, then 400', async () => {
    assert.equal((await post('accept', '{')).status, 400);
    assert.equal((await post('accept', JSON.stringify({ customer: 42 }))).status, 400);
    assert.equal((await post('accept', JSON.stringify({ customer: 'x'.repeat(300) }))).status, 400);
  });

  it('when faults are queued for every path, then the control endpoint is not hit by them', async () => {
    simulator.controls.failNext(5, 500, '/');
    assert.equal((await post('gdap-expire', undefined)).status, 200);
  });

  it('when the scenarios are listed, then every name is there; the token changes at every start', async () => {
    const listed = await call(`${simulator.url}/_simulator/scenarios`, { headers: { authorization: `Bearer ${simulator.controlToken}` } });
    assert.equal((listed.json.scenarios as string[]).length, 7);
    const first = simulator.controlToken;
    await simulator.stop();
    await simulator.start();
    assert.notEqual(simulator.controlToken, first);
    assert.ok(simulator.controlToken.length >= 40);
  });
});

describe('isLoopback', () => {
  it('accepts 127.0.0.0/8, ::1 and their IPv4-mapped forms; refuses everything else', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(address), true, address);
    for (const address of ['10.0.0.1', '192.168.1.5', '::ffff:10.0.0.1', 'fe80::1', '', undefined]) assert.equal(isLoopback(address), false, String(address));
  });
});
