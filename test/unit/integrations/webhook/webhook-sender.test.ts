import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookVerifier } from '../../../../src/integrations/partner-center/webhook/verify-webhook.ts';
import { readBody } from '../../../../src/http/read-body.ts';
import {
  createCertificateRoute,
  createWebhookEventBuilders,
  createWebhookSender,
  formatResourceChangeUtcDate,
  simulatorCertificateUrls,
  simulatorWebhookIdentity,
  type PartnerCenterWebhookEvent,
} from '../../../../src/simulator/webhooks/index.ts';
import { CUSTOMER, fixture, fixtureText, startCertServer, TOKEN, type CertServer } from './support.ts';

/** A stand-in for the bot's webhook route: verify the raw body, answer 200 or the verifier's status. */
async function startBot(verify: ReturnType<typeof createWebhookVerifier>['verify']): Promise<{ url: string; received: unknown[]; stop(): Promise<void> }> {
  const received: unknown[] = [];
  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://bot.invalid');
      const rawBody = await readBody(request, 256 * 1024);
      const verdict = await verify({ rawBody, query: url.searchParams, headers: request.headers });
      if (verdict.ok) received.push(JSON.parse(rawBody.toString('utf8')));
      response.writeHead(verdict.ok ? 200 : verdict.status).end(verdict.ok ? '' : verdict.reason);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/partner-center/webhook`;
  return { url, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('simulator webhook sender, end to end over loopback HTTP', () => {
  let certs: CertServer;
  before(async () => {
    certs = await startCertServer();
  });
  after(() => certs.stop());

  it('when every event the bot handles is sent, then each arrives verified and intact', async () => {
    const { prefix, certificateUrl } = simulatorCertificateUrls(certs.url);
    const verifier = createWebhookVerifier({ token: TOKEN, certUrlPrefixes: [prefix], trustedCaPem: simulatorWebhookIdentity().caPem });
    const bot = await startBot(verifier.verify);
    try {
      const sender = createWebhookSender({ targetUrl: `${bot.url}?token=${TOKEN}`, signingKeyPem: simulatorWebhookIdentity().signingKeyPem, certificateUrl });
      const events = allEvents(createWebhookEventBuilders({ baseUrl: 'https://api.partnercenter.microsoft.com/' }));
      for (const event of events) assert.equal(await sender.send(event), 200, event.EventName);
      assert.deepEqual(bot.received, events.map((event) => JSON.parse(JSON.stringify(event))));
      assert.equal(certs.hits('/cert/simulator-signing.cer'), 1);
    } finally {
      await bot.stop();
    }
  });

  it('when the sender uses the wrong token or a foreign key, then the bot answers 401', async () => {
    const { prefix, certificateUrl } = simulatorCertificateUrls(`${certs.url}/`);
    const verifier = createWebhookVerifier({ token: TOKEN, certUrlPrefixes: [prefix], trustedCaPem: fixtureText('simulator-ca.pem') });
    const bot = await startBot(verifier.verify);
    try {
      const event = createWebhookEventBuilders().testCreated();
      const wrongToken = createWebhookSender({ targetUrl: `${bot.url}?token=nope`, signingKeyPem: fixtureText('simulator-signing.key.pem'), certificateUrl });
      const foreignKey = createWebhookSender({ targetUrl: `${bot.url}?token=${TOKEN}`, signingKeyPem: fixtureText('other-signing.key.pem'), certificateUrl });
      assert.equal(await wrongToken.send(event), 401);
      assert.equal(await foreignKey.send(event), 401);
      assert.deepEqual(bot.received, []);
    } finally {
      await bot.stop();
    }
  });
});

function allEvents(build: ReturnType<typeof createWebhookEventBuilders>): PartnerCenterWebhookEvent[] {
  const relationship = '6f1a2b3c-0000-4000-8000-000000000001-2a3b4c5d-0000-4000-8000-000000000002';
  return [
    build.testCreated('d8f2a2c4-7d0e-4a8e-9f47-2b1b8a3c6e11'),
    build.resellerRelationshipAccepted(CUSTOMER),
    build.indirectResellerRelationshipAccepted(CUSTOMER),
    build.dapApproved(),
    build.dapTerminated(),
    build.dapTerminatedByMicrosoft(),
    ...(['approved', 'activated', 'terminated', 'expired'] as const).map((change) => build.granularAdminRelationship(change, relationship)),
    ...(['created', 'activated', 'updated', 'deleted'] as const).map((change) => build.accessAssignment(change, relationship, 'b1e2c3d4-0000-4000-8000-000000000003')),
  ];
}

describe('simulator webhook events', () => {
  const NOW = Date.parse('2026-11-25T10:15:02.123Z');
  const build = createWebhookEventBuilders({ baseUrl: 'http://127.0.0.1:4000', clock: () => NOW });

  it('formats ResourceChangeUtcDate with seven fractional digits and an offset', () => {
    assert.equal(formatResourceChangeUtcDate(NOW, 4567), '2026-11-25T10:15:02.1234567+00:00');
    assert.equal(formatResourceChangeUtcDate(NOW), '2026-11-25T10:15:02.1230000+00:00');
    assert.match(build.dapApproved().ResourceChangeUtcDate, /^2026-11-25T10:15:02\.123\d{4}\+00:00$/);
  });

  it('builds customer events with the customer URI and a tick-stamped AuditUri', () => {
    const event = build.resellerRelationshipAccepted(CUSTOMER);
    assert.equal(event.ResourceUri, `http://127.0.0.1:4000/v1/customers/${CUSTOMER}`);
    assert.equal(event.ResourceName, 'Customer');
    assert.match(event.AuditUri ?? '', new RegExp(`^http://127\\.0\\.0\\.1:4000/auditactivity/v1/auditrecords/[0-9a-f-]{36}_${CUSTOMER}_resellerrelationshipacceptedbycustomer_\\d{18}$`));
    assert.equal(build.indirectResellerRelationshipAccepted(CUSTOMER).EventName, 'indirect-reseller-relationship-accepted-by-customer');
  });

  it('sends DAP events with ResourceUri null (approved, terminated) or absent (terminated by Microsoft)', () => {
    const approved = JSON.parse(JSON.stringify(build.dapApproved())) as Record<string, unknown>;
    const terminated = JSON.parse(JSON.stringify(build.dapTerminated())) as Record<string, unknown>;
    const byMicrosoft = JSON.parse(JSON.stringify(build.dapTerminatedByMicrosoft())) as Record<string, unknown>;
    assert.equal(approved.ResourceUri, null);
    assert.equal(terminated.ResourceUri, null);
    assert.ok(!('ResourceUri' in byMicrosoft));
    assert.deepEqual(Object.keys(approved), ['EventName', 'ResourceUri', 'ResourceName', 'AuditUri', 'ResourceChangeUtcDate']);
    assert.equal(approved.AuditUri, null);
    assert.match(String(build.dapTerminated(CUSTOMER).AuditUri), /_dapadminrelationshipterminated_/);
  });

  it('builds GDAP relationship and access assignment URIs', () => {
    const { ResourceChangeUtcDate, ...relationship } = build.granularAdminRelationship('expired', 'rel-1');
    assert.deepEqual(relationship, {
      EventName: 'granular-admin-relationship-expired',
      ResourceUri: 'http://127.0.0.1:4000/v1/granularAdminRelationships/rel-1',
      ResourceName: 'GranularAdminRelationship',
      AuditUri: null,
    });
    assert.match(ResourceChangeUtcDate, /^2026-11-25T10:15:02\.123\d{4}\+00:00$/);
    const assignment = build.accessAssignment('deleted', 'rel-1', 'as-9');
    assert.equal(assignment.ResourceUri, 'http://127.0.0.1:4000/v1/granularAdminRelationships/rel-1/accessAssignments/as-9');
    assert.equal(assignment.ResourceName, 'GranularAdminAccessAssignment');
    assert.equal(build.testCreated('c-1').ResourceUri, 'http://127.0.0.1:4000/webhooks/v1/registration/validationEvents/c-1');
  });

  it('signs with the headers Partner Center uses and the body exactly once', () => {
    const sender = createWebhookSender({ targetUrl: 'http://bot/hook?token=t', signingKeyPem: fixtureText('simulator-signing.key.pem'), certificateUrl: 'http://127.0.0.1/cert/simulator-signing.cer' });
    const signed = sender.sign(build.testCreated('c-2'));
    assert.deepEqual(Object.keys(signed.headers).sort(), ['authorization', 'content-type', 'x-ms-certificate-url', 'x-ms-signature-algorithm']);
    assert.match(signed.headers.authorization ?? '', /^Signature [A-Za-z0-9+/]{342}==$/);
    assert.equal(signed.headers['x-ms-signature-algorithm'], 'rsa-sha256');
    assert.equal(signed.body.toString('utf8'), JSON.stringify(JSON.parse(signed.body.toString('utf8'))));
  });
});

describe('simulator certificate route', () => {
  it('serves the runtime signing certificate, identical to the committed fixture', async () => {
    const route = createCertificateRoute();
    assert.equal(route.path, '/cert/simulator-signing.cer');
    const response = await route.handler({ method: 'GET', path: route.path, query: new URLSearchParams(), headers: {}, rawBody: Buffer.alloc(0), route: route.path });
    assert.equal(response.status, 200);
    assert.equal(response.headers?.['content-type'], 'application/pkix-cert');
    assert.deepEqual(response.body, fixture('simulator-signing.cer'));
    assert.equal(simulatorWebhookIdentity().caPem, fixtureText('simulator-ca.pem'));
    assert.equal(simulatorWebhookIdentity().signingKeyPem, fixtureText('simulator-signing.key.pem'));
  });
});
