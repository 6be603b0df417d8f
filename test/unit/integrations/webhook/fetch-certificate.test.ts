import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CertificateFetchError, createCertificateFetcher } from '../../../../src/integrations/partner-center/webhook/fetch-certificate.ts';
import { createHarness, fixture, startCertServer, type CertServer } from './support.ts';

describe('webhook verifier: fetching the certificate', () => {
  let server: CertServer;
  before(async () => {
    server = await startCertServer();
  });
  after(() => server.stop());

  async function verdict(path: string, timeoutMs = 200) {
    const harness = createHarness(server, { timeoutMs });
    const signed = harness.sender(path).sign(harness.events.dapTerminatedByMicrosoft());
    return harness.verify(signed);
  }

  it('when the server redirects (even to the right certificate), then 401 and the target is never fetched', async () => {
    const before = server.hits('/cert/simulator-signing.cer');
    assert.deepEqual(await verdict('/redirect/x.cer'), { ok: false, status: 401, reason: 'certificate fetch failed' });
    assert.equal(server.hits('/cert/simulator-signing.cer'), before);
  });

  it('when the server answers 404, then 401 certificate fetch failed', async () => {
    assert.deepEqual(await verdict('/missing/x.cer'), { ok: false, status: 401, reason: 'certificate fetch failed' });
  });

  it('when the server never answers, then 401 after the (injected) 200 ms timeout', async () => {
    const started = Date.now();
    assert.deepEqual(await verdict('/stall/x.cer'), { ok: false, status: 401, reason: 'certificate fetch timed out' });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 190 && elapsed < 2_000, `took ${elapsed} ms`);
  });

  it('when the server sends headers and then drips the body, then the same deadline applies', async () => {
    assert.deepEqual(await verdict('/drip/x.cer'), { ok: false, status: 401, reason: 'certificate fetch timed out' });
  });

  it('when the server declares 20 KiB, then 401 certificate too large', async () => {
    assert.deepEqual(await verdict('/big/x.cer'), { ok: false, status: 401, reason: 'certificate too large' });
  });

  it('when the server streams 20 KiB without a length, then the read stops at the cap with 401', async () => {
    assert.deepEqual(await verdict('/big-chunked/x.cer'), { ok: false, status: 401, reason: 'certificate too large' });
  });

  it('when nothing listens on the port, then 401 certificate fetch failed', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const fetcher = createCertificateFetcher({ timeoutMs: 1_000 });
    await assert.rejects(fetcher(new URL(`http://127.0.0.1:${port}/cert/x.cer`)), (error: unknown) => error instanceof CertificateFetchError && error.kind === 'network');
  });

  it('when the default limits apply, then a normal certificate downloads byte for byte', async () => {
    const body = await createCertificateFetcher()(new URL(`${server.url}/cert/simulator-signing.cer`));
    assert.deepEqual(body, fixture('simulator-signing.cer'));
  });

  it('when given a non-http URL, then it refuses without trying', async () => {
    await assert.rejects(createCertificateFetcher()(new URL('file:///etc/passwd')), CertificateFetchError);
  });
});
