import assert from 'node:assert/strict';
import { AUDIT_OPERATIONS, toAuditRecordPath } from '../../../../src/integrations/partner-center/audit-records.ts';
import { SAMPLE_CUSTOMERS } from '../../../../src/simulator/seed.ts';
import { PARTNER_CENTER_BASE_URL } from '../../../../src/simulator/webhooks/index.ts';
import { collect, expectAppError, partnerCenterRequests } from './harness.ts';
import { startMicrosoftHarness, type MicrosoftHarness } from '../microsoft-harness.ts';

const HOUR_MS = 3_600_000;
const contoso = SAMPLE_CUSTOMERS[1]!;

describe('Partner Center client: audit records', () => {
  let harness: MicrosoftHarness;
  beforeEach(async () => {
    harness = await startMicrosoftHarness();
  });
  afterEach(() => harness.close());

  const lastDay = () => [new Date(Date.now() - 24 * HOUR_MS).toISOString(), new Date(Date.now() + HOUR_MS).toISOString()] as const;

  it('when a customer removed DAP, then the record in the range names the customer and the documented operation type', async () => {
    harness.simulator.controls.addAuditRecord({ operationType: 'dap_admin_relationship_terminated', resourceType: 'partner_customer_dap', customerId: contoso.id, customerName: contoso.companyName });
    const records = (await collect(harness.clients.partnerCenter.listAuditRecords(...lastDay(), harness.context()))).flat();
    assert.equal(records.length, 1, 'the seeded older records are outside the range');
    assert.equal(records[0]?.operationType, AUDIT_OPERATIONS.dapRemoved);
    assert.equal(records[0]?.resourceType, 'partner_customer_dap');
    assert.equal(records[0]?.customerId, contoso.id);
    assert.equal(records[0]?.customerName, contoso.companyName);
    const [request] = partnerCenterRequests(harness.simulator);
    assert.match(request?.path ?? '', /^\/v1\/auditrecords\?startDate=.+&endDate=.+&size=100$/);
  });

  it('when the range holds more than a page, then every page is read with its continuation header', async () => {
    for (let index = 0; index < 230; index += 1) {
      harness.simulator.controls.addAuditRecord({ operationType: 'update_customer_user', resourceType: 'customer_user', customerId: contoso.id, operationDate: new Date(Date.now() - index * 60_000).toISOString() });
    }
    const pages = await collect(harness.clients.partnerCenter.listAuditRecords(...lastDay(), harness.context()));
    assert.deepEqual(pages.map((page) => page.length), [100, 100, 30]);
    assert.equal(new Set(pages.flat().map((record) => record.id)).size, 230);
    const requests = partnerCenterRequests(harness.simulator);
    assert.ok(requests.slice(1).every((request) => request.path.startsWith('/v1/auditrecords?') && request.path.endsWith('seekOperation=Next') && request.headers['ms-continuationtoken']));
    assert.equal(harness.simulator.controls.pageRestarts(), 0);
  });

  it('when the AuditUri names the real Partner Center host, then only its path goes to the configured base', async () => {
    const record = harness.simulator.controls.addAuditRecord({ operationType: 'dap_admin_relationship_terminated', resourceType: 'partner_customer_dap', customerId: contoso.id });
    const auditUri = `${PARTNER_CENTER_BASE_URL}/auditactivity/v1/auditrecords/${record.id}`;
    const read = await harness.clients.directory.getAuditRecord(auditUri, harness.context());
    assert.equal(read.id, record.id);
    assert.equal(read.customerId, contoso.id);
    assert.equal(partnerCenterRequests(harness.simulator).length, 0);
    assert.deepEqual(harness.simulator.controls.requests.filter((request) => request.path.startsWith('/auditactivity/')).map((request) => request.path), [`/auditactivity/v1/auditrecords/${record.id}`]);
  });

  it('when the AuditUri points anywhere but one audit record, then BAD_REQUEST and nothing is sent', async () => {
    for (const uri of [`${PARTNER_CENTER_BASE_URL}/v1/customers`, `${PARTNER_CENTER_BASE_URL}/auditactivity/v1/auditrecords/a/../../v1/customers`, `${PARTNER_CENTER_BASE_URL}/auditactivity/v1/auditrecords/`, 'not a url']) {
      await expectAppError(harness.clients.partnerCenter.getAuditRecord(uri, harness.context()), 'PARTNER_CENTER.BAD_REQUEST');
    }
    assert.equal(harness.simulator.controls.requests.filter((request) => !request.grantType).length, 0);
  });

  it('when the audit record is gone, then NOT_FOUND', async () => {
    await expectAppError(harness.clients.partnerCenter.getAuditRecord(`${PARTNER_CENTER_BASE_URL}/auditactivity/v1/auditrecords/nope_1`, harness.context()), 'PARTNER_CENTER.NOT_FOUND');
  });

  it('when the dates are not instants or reach past the 90 days Partner Center keeps, then BAD_REQUEST', async () => {
    await expectAppError(collect(harness.clients.partnerCenter.listAuditRecords('yesterday', new Date().toISOString(), harness.context())), 'PARTNER_CENTER.BAD_REQUEST');
    const tooOld = new Date(Date.now() - 100 * 24 * HOUR_MS).toISOString();
    await expectAppError(collect(harness.clients.partnerCenter.listAuditRecords(tooOld, new Date().toISOString(), harness.context())), 'PARTNER_CENTER.BAD_REQUEST');
  });
});

describe('toAuditRecordPath', () => {
  it('keeps the path and query of an audit record URI and names it without the id', () => {
    assert.deepEqual(toAuditRecordPath('https://api.partnercenter.microsoft.com/auditactivity/v1/auditrecords/60d5c4bb_4b2a6e33_resellerrelationshipacceptedbycustomer_638331855840159088'), {
      path: '/auditactivity/v1/auditrecords/{id}',
      pathAndQuery: '/auditactivity/v1/auditrecords/60d5c4bb_4b2a6e33_resellerrelationshipacceptedbycustomer_638331855840159088',
    });
  });

  it('refuses encoded separators and dot segments', () => {
    assert.equal(toAuditRecordPath('https://api.partnercenter.microsoft.com/auditactivity/v1/auditrecords/a%2F..%2Fb'), undefined);
    assert.equal(toAuditRecordPath('https://api.partnercenter.microsoft.com/auditactivity/v1/auditrecords/..'), undefined);
  });
});
