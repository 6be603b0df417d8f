/**
 * `GET /v1/auditrecords?startDate=…&endDate=…&size=…` (paged like customers: `links.next` plus the
 * `MS-ContinuationToken` header; the next URI leaves out `/v1`, as in Microsoft's example) and
 * `GET /auditactivity/v1/auditrecords/{id}`, the record a webhook's AuditUri names.
 */
import type { Clock } from '../core/ports.ts';
import type { SimulatedAuditRecord } from './audit-log.ts';
import { createContinuationTokens } from './continuation.ts';
import type { PartnerCenterRequest } from './partner-center-request.ts';
import { sendJson, sendPartnerCenterError } from './sim-http.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Partner Center keeps 90 days of activity and refuses older start dates with 400. */
const RETENTION_MS = 90 * DAY_MS;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 500;
const RECORD_PREFIX = '/auditactivity/v1/auditrecords/';

interface AuditQuery {
  startMs: number;
  endMs: number;
  size: number;
  cursor: number;
}

export function createAuditRoutes(clock: Clock) {
  const continuation = createContinuationTokens();

  /** A date-only end (`2020-09-02`, as Microsoft's example sends) covers that whole day. */
  function readRange(call: PartnerCenterRequest): AuditQuery | string {
    const start = call.url.searchParams.get('startDate');
    const end = call.url.searchParams.get('endDate');
    const startMs = start ? Date.parse(start) : Number.NaN;
    const endMs = end ? Date.parse(end) + (/^\d{4}-\d{2}-\d{2}$/.test(end) ? DAY_MS - 1 : 0) : clock.now();
    const size = Number(call.url.searchParams.get('size') ?? DEFAULT_PAGE_SIZE);
    if (Number.isNaN(startMs) || Number.isNaN(endMs)) return 'startDate (and endDate, when given) must be dates.';
    if (startMs < clock.now() - RETENTION_MS) return 'The start date must be within the last 90 days.';
    if (!Number.isInteger(size) || size < 1) return 'The size is invalid.';
    return { startMs, endMs, size: Math.min(size, MAX_PAGE_SIZE), cursor: 0 };
  }

  function readPosition(call: PartnerCenterRequest): AuditQuery | string {
    const token = call.request.headers['ms-continuationtoken'];
    if (call.url.searchParams.get('seekOperation') !== 'Next') return readRange(call);
    if (typeof token !== 'string') {
      call.state.countPageRestart();
      return readRange(call);
    }
    const payload = continuation.read(token);
    const valid = payload && ['startMs', 'endMs', 'size', 'cursor'].every((key) => typeof payload[key] === 'number');
    return valid ? (payload as unknown as AuditQuery) : 'The continuation token is invalid.';
  }

  function answerPage(call: PartnerCenterRequest): void {
    const query = readPosition(call);
    if (typeof query === 'string') return sendPartnerCenterError(call.response, 400, query, call.echoHeaders);
    const matching = call.state.audit.between(query.startMs, query.endMs);
    const items = matching.slice(query.cursor, query.cursor + query.size);
    const nextCursor = query.cursor + items.length;
    const range = `startDate=${encodeURIComponent(new Date(query.startMs).toISOString())}&endDate=${encodeURIComponent(new Date(query.endMs).toISOString())}&size=${query.size}`;
    const self = { uri: `/auditrecords?${range}`, method: 'GET', headers: [] };
    const links = nextCursor < matching.length
      ? { self, next: { uri: `/auditrecords?${range}&seekOperation=Next`, method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: continuation.issue({ ...query, cursor: nextCursor }) }] } }
      : { self };
    sendJson(call.response, 200, { totalCount: items.length, items: items.map(toWireAuditRecord), links, attributes: { objectType: 'Collection' } }, call.echoHeaders);
  }

  function answerRecord(call: PartnerCenterRequest, id: string): void {
    const record = call.state.audit.find(id);
    if (!record) return sendPartnerCenterError(call.response, 404, 'The audit record was not found.', call.echoHeaders);
    sendJson(call.response, 200, toWireAuditRecord(record), call.echoHeaders);
  }

  /** True when the path was an audit route (answered); false to let another route try. */
  return function routeAudit(call: PartnerCenterRequest): boolean {
    const path = call.url.pathname;
    if (path === '/v1/auditrecords') answerPage(call);
    else if (path.startsWith(RECORD_PREFIX) && !path.slice(RECORD_PREFIX.length).includes('/')) answerRecord(call, decodeURIComponent(path.slice(RECORD_PREFIX.length)));
    else return false;
    return true;
  };
}

export function toWireAuditRecord(record: SimulatedAuditRecord): Record<string, unknown> {
  return {
    ...record,
    participants: [record.partnerId],
    customizedData: record.customerId ? [{ key: 'CustomerId', value: record.customerId }] : [],
    attributes: { objectType: 'AuditRecord' },
  };
}
