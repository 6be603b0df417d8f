import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toDedupeKey, toDomainEvent } from '../../../src/core/events/partner-center-event.ts';

const HOST = 'api.partnercenter.microsoft.com';
const CUSTOMER = '4b2a6e33-8791-4386-bd2b-0d55baf25039';
const RELATIONSHIP = '2f8a1c3e-1111-4a2b-9c3d-0123456789ab-5d6e7f80-2222-4b3c-8d4e-abcdef012345';

describe('toDomainEvent', () => {
  it('when a customer accepts, then the event names the customer and goes to `accepted`', () => {
    const event = toDomainEvent(
      {
        EventName: 'reseller-relationship-accepted-by-customer',
        ResourceUri: `https://${HOST}/v1/customers/${CUSTOMER.toUpperCase()}`,
        ResourceName: 'Customer',
        AuditUri: `https://${HOST}/auditactivity/v1/auditrecords/abc`,
        ResourceChangeUtcDate: '2023-10-18T00:26:24.0159088+00:00',
      },
      HOST,
    );
    assert.equal(event.kind, 'accepted');
    assert.equal(event.notification, 'accepted');
    assert.equal(event.customerId, CUSTOMER);
    assert.equal(event.auditUri, `https://${HOST}/auditactivity/v1/auditrecords/abc`);
    assert.equal(event.changedAt, '2023-10-18T00:26:24.0159088+00:00');
  });

  it('when DAP is removed (no resource), then it is `admin-removed` with no customer; by Microsoft it is told apart', () => {
    const removed = toDomainEvent({ EventName: 'dap-admin-relationship-terminated', ResourceUri: null, ResourceName: 'PartnerCustomerDap' }, HOST);
    assert.deepEqual([removed.kind, removed.notification, removed.customerId], ['admin-removed', 'removed', undefined]);
    assert.equal(toDomainEvent({ EventName: 'dap-admin-relationship-terminated-by-microsoft' }, HOST).kind, 'admin-removed-by-microsoft');
  });

  it('when a GDAP relationship or access assignment changes, then the ids come from the resource URI', () => {
    const base = `https://${HOST}/v1/granularAdminRelationships/${RELATIONSHIP}`;
    const approved = toDomainEvent({ EventName: 'granular-admin-relationship-approved', ResourceUri: base }, HOST);
    assert.deepEqual([approved.kind, approved.relationshipId], ['gdap-approved', RELATIONSHIP]);
    const assignment = toDomainEvent({ EventName: 'granular-admin-access-assignment-created', ResourceUri: `${base}/accessAssignments/${CUSTOMER}` }, HOST);
    assert.deepEqual([assignment.kind, assignment.relationshipId, assignment.accessAssignmentId], ['access-assignment-created', RELATIONSHIP, CUSTOMER]);
  });

  it('when URIs point anywhere but https on the Partner Center host, then they are ignored', () => {
    for (const uri of [
      `http://${HOST}/v1/customers/${CUSTOMER}`,
      `https://evil.example/v1/customers/${CUSTOMER}`,
      `https://${HOST}.evil.example/v1/customers/${CUSTOMER}`,
      `https://user:pw@${HOST}/v1/customers/${CUSTOMER}`,
      `https://${HOST}:8443/v1/customers/${CUSTOMER}`,
      'not a url',
    ]) {
      const event = toDomainEvent({ EventName: 'reseller-relationship-accepted-by-customer', ResourceUri: uri, AuditUri: uri }, HOST);
      assert.equal(event.customerId, undefined, uri);
      assert.equal(event.auditUri, undefined, uri);
    }
  });

  it('when the event name is unknown or missing, then it is kept as `unknown` with no audience', () => {
    const event = toDomainEvent({ EventName: 'something-new' }, HOST);
    assert.deepEqual([event.kind, event.notification, event.eventName], ['unknown', undefined, 'something-new']);
    assert.equal(toDomainEvent({}, HOST).kind, 'unknown');
  });

  it('the dedupe key is the same for a re-delivery and differs when any identifying field differs', () => {
    const body = { EventName: 'a', ResourceUri: 'b', ResourceChangeUtcDate: 'c', AuditUri: 'd', ResourceName: 'x' };
    assert.equal(toDedupeKey(body), toDedupeKey({ ...body, ResourceName: 'other' }));
    for (const field of ['EventName', 'ResourceUri', 'ResourceChangeUtcDate', 'AuditUri'] as const) {
      assert.notEqual(toDedupeKey(body), toDedupeKey({ ...body, [field]: 'changed' }), field);
    }
  });

  it('never throws on arbitrary bodies', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('EventName', 'ResourceUri', 'AuditUri', 'ResourceChangeUtcDate', 'ResourceName'), fc.anything()), (body) => {
        const event = toDomainEvent(body, HOST);
        assert.equal(typeof event.dedupeKey, 'string');
      }),
    );
  });
});
