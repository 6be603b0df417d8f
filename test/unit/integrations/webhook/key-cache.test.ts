import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createKeyCache } from '../../../../src/integrations/partner-center/webhook/key-cache.ts';
import { createHarness, CUSTOMER, fixture, startCertServer, type CertServer } from './support.ts';

const HOUR = 60 * 60 * 1000;

describe('webhook verifier: key cache', () => {
  let server: CertServer;
  before(async () => {
    server = await startCertServer();
  });
  after(() => server.stop());

  it('when the same certificate URL comes again, then the key is reused without a second fetch', async () => {
    const harness = createHarness(server);
    const sender = harness.sender();
    for (let round = 0; round < 5; round += 1) {
      assert.deepEqual(await harness.verify(sender.sign(harness.events.granularAdminRelationship('activated', `rel-${round}`))), { ok: true });
    }
    assert.equal(harness.fetched.length, 1);
  });

  it('when the key is cached, then a bad signature is still rejected', async () => {
    const harness = createHarness(server);
    const good = harness.sender().sign(harness.events.dapApproved());
    assert.deepEqual(await harness.verify(good), { ok: true });
    const forged = harness.sender(undefined, 'other-signing.key.pem').sign(harness.events.dapApproved());
    assert.deepEqual(await harness.verify(forged), { ok: false, status: 401, reason: 'signature invalid' });
    const tampered = { ...good, body: Buffer.concat([good.body, Buffer.from(' ')]) };
    assert.deepEqual(await harness.verify(tampered), { ok: false, status: 401, reason: 'signature invalid' });
    assert.equal(harness.fetched.length, 1);
  });

  it('when a burst of deliveries arrives before the first fetch ends, then they share one fetch', async () => {
    const harness = createHarness(server);
    const sender = harness.sender();
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => harness.verify(sender.sign(harness.events.resellerRelationshipAccepted(CUSTOMER)))));
    assert.ok(verdicts.every((verdict) => verdict.ok));
    assert.equal(harness.fetched.length, 1);
  });

  it('when a fetch fails, then the failure is not cached and the next delivery fetches again', async () => {
    const harness = createHarness(server);
    const signed = harness.sender('/missing/x.cer').sign(harness.events.dapApproved());
    await harness.verify(signed);
    await harness.verify(signed);
    assert.equal(harness.fetched.length, 2);
  });

  it('when the TTL has passed, then the certificate is fetched again', async () => {
    let now = Date.now();
    const harness = createHarness(server, { clock: () => now, cacheTtlMs: HOUR });
    const signed = harness.sender().sign(harness.events.dapApproved());
    await harness.verify(signed);
    now += HOUR - 1;
    await harness.verify(signed);
    assert.equal(harness.fetched.length, 1);
    now += 2;
    assert.deepEqual(await harness.verify(signed), { ok: true });
    assert.equal(harness.fetched.length, 2);
  });

  it('when the certificate expires before the TTL, then the cached key stops with it', async () => {
    const validTo = Date.parse(new X509Certificate(fixture('simulator-signing.cer')).validTo);
    let now = validTo - 1000;
    const harness = createHarness(server, { clock: () => now, cacheTtlMs: 24 * HOUR });
    const signed = harness.sender().sign(harness.events.dapApproved());
    assert.deepEqual(await harness.verify(signed), { ok: true });
    now = validTo + 1;
    assert.deepEqual(await harness.verify(signed), { ok: false, status: 401, reason: 'certificate expired' });
    assert.equal(harness.fetched.length, 2);
  });

  it('when more URLs than the cache holds are used, then the least recently used one is fetched again', async () => {
    const harness = createHarness(server, { cacheSize: 2 });
    const sign = (path: string) => harness.sender(path).sign(harness.events.dapApproved());
    const a = sign('/cert/simulator-signing.cer');
    const b = sign('/fixtures/simulator-signing.cer');
    const c = sign('/fixtures/simulator-chained-signing.cer');
    for (const signed of [a, b, a, c, a, b]) assert.ok((await harness.verify(signed)).ok);
    // a stays (recently used), b was evicted by c and fetched again.
    assert.deepEqual(harness.fetched.map((url) => new URL(url).pathname), ['/cert/simulator-signing.cer', '/fixtures/simulator-signing.cer', '/fixtures/simulator-chained-signing.cer', '/fixtures/simulator-signing.cer']);
  });
});

describe('key cache (pure)', () => {
  it('when the clock is before validFrom, then the entry is not used', () => {
    const cache = createKeyCache(4);
    const publicKey = new X509Certificate(fixture('simulator-signing.cer')).publicKey;
    cache.set('u', { publicKey, validFrom: 1000, usableUntil: 5000 });
    assert.equal(cache.get('u', 999), undefined);
    assert.equal(cache.size, 0);
    cache.set('u', { publicKey, validFrom: 1000, usableUntil: 5000 });
    assert.equal(cache.get('u', 1000), publicKey);
    assert.equal(cache.get('u', 5001), undefined);
  });

  it('when the size is 0, then it still keeps the latest entry (at least one)', () => {
    const cache = createKeyCache(0);
    const publicKey = new X509Certificate(fixture('simulator-signing.cer')).publicKey;
    cache.set('a', { publicKey, validFrom: 0, usableUntil: 10 });
    cache.set('b', { publicKey, validFrom: 0, usableUntil: 10 });
    assert.equal(cache.size, 1);
    assert.equal(cache.get('b', 1), publicKey);
  });
});
