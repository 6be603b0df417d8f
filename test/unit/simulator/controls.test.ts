import assert from 'node:assert/strict';
import { createPartnerCenterSimulator, startSimulator, type PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';
import { accessToken, call, get } from './sim-client.ts';

describe('simulator: controls', () => {
  let simulator: PartnerCenterSimulator;
  let token: string;
  beforeEach(async () => {
    simulator = await startSimulator();
    token = await accessToken(simulator, 'app-only');
  });
  afterEach(() => simulator.stop());

  it('when throttled, then the next calls get 429 with Retry-After and then normal answers', async () => {
    simulator.controls.throttleNext(2, 7);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const answer = await get(simulator, '/v1/customers', token);
      assert.equal(answer.status, 429);
      assert.equal(answer.headers.get('retry-after'), '7');
    }
    assert.equal((await get(simulator, '/v1/customers', token)).status, 200);
  });

  it('when failures are queued, then they hit Partner Center paths but not the token endpoint', async () => {
    simulator.controls.failNext(1, 503);
    await accessToken(simulator, 'app-only');
    const answer = await get(simulator, '/v1/customers', token, { 'MS-RequestId': 'r-9' });
    assert.equal(answer.status, 503);
    assert.equal(answer.json.source, 'PartnerFD');
    assert.equal(answer.headers.get('ms-requestid'), 'r-9');
  });

  it('when a path prefix is given, then only matching requests get the fault', async () => {
    simulator.controls.failNext(1, 500, '/v1/relationships');
    assert.equal((await get(simulator, '/v1/customers', token)).status, 200);
    assert.equal((await get(simulator, '/v1/relationships?relationship_type=IsIndirectResellerOf', token)).status, 500);
  });

  it('when answers are malformed, then 200 arrives with HTML or a JSON body of the wrong shape', async () => {
    simulator.controls.malformNext(1);
    simulator.controls.malformNext(1, 'wrong-shape');
    const html = await get(simulator, '/v1/customers', token);
    assert.equal(html.status, 200);
    assert.match(html.text, /^<!DOCTYPE html>/);
    const wrong = await get(simulator, '/v1/customers', token);
    assert.equal(wrong.status, 200);
    assert.equal(wrong.json.items, undefined);
  });

  it('when a delay is queued, then the answer comes that late', async () => {
    simulator.controls.delayNext(1, 300);
    const started = Date.now();
    assert.equal((await get(simulator, '/v1/customers', token)).status, 200);
    assert.ok(Date.now() - started >= 290);
  });

  it('when a connection drop is queued, then the client sees a network error, not a status', async () => {
    simulator.controls.dropNext(1);
    await assert.rejects(get(simulator, '/v1/customers', token));
    assert.equal((await get(simulator, '/v1/customers', token)).status, 200);
  });

  it('when requests are made, then they are recorded with headers and counted by prefix', async () => {
    await get(simulator, '/v1/customers?size=3', token, { 'X-Locale': 'de-DE' });
    await get(simulator, '/v1/relationships?relationship_type=IsIndirectResellerOf', token);
    assert.equal(simulator.controls.requestCount('/v1/customers'), 1);
    assert.equal(simulator.controls.requestCount('/v1/'), 2);
    const recorded = simulator.controls.requests.find((request) => request.path === '/v1/customers?size=3');
    assert.equal(recorded?.headers['x-locale'], 'de-DE');
  });

  it('when the count is not a positive integer, then the control refuses it', () => {
    assert.throws(() => simulator.controls.failNext(0, 500), RangeError);
  });

  it('when reset, then queued faults and the log are gone', async () => {
    simulator.controls.failNext(3, 500);
    await get(simulator, '/v1/customers', token);
    simulator.controls.reset();
    assert.equal(simulator.controls.requestCount(), 0);
    const fresh = await accessToken(simulator, 'app-only');
    assert.equal((await get(simulator, '/v1/customers', fresh)).status, 200);
  });

  it('when stopped during a long delay, then stop() returns promptly', async () => {
    simulator.controls.delayNext(1, 10_000);
    const pending = get(simulator, '/v1/customers', token).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await simulator.stop();
    await pending;
    assert.ok(Date.now() - started < 1_000);
  });

  it('when not started, then url throws and an unknown path answers 404', async () => {
    const idle = createPartnerCenterSimulator();
    assert.throws(() => idle.url, /not started/);
    assert.equal((await call(`${simulator.url}/nowhere`)).status, 404);
  });
});
