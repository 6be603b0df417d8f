import assert from 'node:assert/strict';
import { BrokenCircuitError } from 'cockatiel';
import { AppError } from '../../../../src/core/errors.ts';
import { HttpStatusError, MalformedResponseError, TransportError } from '../../../../src/integrations/partner-center/call-errors.ts';
import { readRetryAfter } from '../../../../src/integrations/partner-center/send-request.ts';
import { toAppError } from '../../../../src/integrations/partner-center/to-app-error.ts';

const context = { correlationId: 'c0ffee00-0000-4000-8000-000000000001' };
const pc = (status: number, details = {}) => new HttpStatusError('partner-center', status, '/v1/customers', details);
const entra = (status: number, errorCode: string, codes: number[] = []) => new HttpStatusError('entra', status, '/t/oauth2/v2.0/token', { errorCode, entraErrorCodes: codes });

describe('toAppError (Partner Center)', () => {
  const cases: [string, unknown, string][] = [
    ['400', pc(400), 'PARTNER_CENTER.BAD_REQUEST'],
    ['409', pc(409), 'PARTNER_CENTER.BAD_REQUEST'],
    ['401', pc(401), 'PARTNER_CENTER.UNAUTHORIZED'],
    ['403', pc(403), 'PARTNER_CENTER.FORBIDDEN'],
    ['404', pc(404), 'PARTNER_CENTER.NOT_FOUND'],
    ['429', pc(429, { retryAfterSeconds: 30 }), 'PARTNER_CENTER.THROTTLED'],
    ['503', pc(503), 'PARTNER_CENTER.UNAVAILABLE'],
    ['302', pc(302), 'PARTNER_CENTER.MALFORMED_RESPONSE'],
    ['a timeout', new TransportError('partner-center', 'ETIMEDOUT', '/v1/customers', 'slow'), 'PARTNER_CENTER.TIMEOUT'],
    ['a reset', new TransportError('partner-center', 'ECONNRESET', '/v1/customers', 'reset'), 'PARTNER_CENTER.UNAVAILABLE'],
    ['an open circuit', new BrokenCircuitError(), 'PARTNER_CENTER.UNAVAILABLE'],
    ['a malformed answer', new MalformedResponseError('partner-center', '/v1/customers', 'not JSON'), 'PARTNER_CENTER.MALFORMED_RESPONSE'],
    ['Entra invalid_grant (AADSTS700082)', entra(400, 'invalid_grant', [700082]), 'PARTNER_CENTER.CONSENT_EXPIRED'],
    ['Entra invalid_grant (AADSTS50173)', entra(400, 'invalid_grant', [50173]), 'PARTNER_CENTER.CONSENT_EXPIRED'],
    ['Entra invalid_grant (AADSTS65001)', entra(400, 'invalid_grant', [65001]), 'PARTNER_CENTER.CONSENT_MISSING'],
    ['Entra invalid_client', entra(401, 'invalid_client', [7000215]), 'PARTNER_CENTER.APP_CREDENTIALS_INVALID'],
    ['Entra unauthorized_client', entra(400, 'unauthorized_client', [700016]), 'PARTNER_CENTER.APP_CREDENTIALS_INVALID'],
    ['Entra 503', entra(503, 'temporarily_unavailable'), 'PARTNER_CENTER.UNAVAILABLE'],
    ['a bug', new TypeError('x is undefined'), 'INTERNAL.UNEXPECTED'],
  ];
  for (const [name, input, code] of cases) {
    it(`when the failure is ${name}, then the code is ${code} with the correlation id and the cause`, () => {
      const error = toAppError(input, context);
      assert.equal(error.code, code);
      assert.equal(error.params.correlationId, context.correlationId);
      assert.equal(error.cause, input);
    });
  }

  it('when throttled, then the seconds to wait are a parameter', () => {
    assert.equal(toAppError(pc(429, { retryAfterSeconds: 30 }), context).params.seconds, 30);
  });

  it('when the failure already is an AppError without a correlation id, then the code stays and the id is added', () => {
    const original = new AppError('PARTNER_CENTER.CONSENT_MISSING', { params: { x: 1 } });
    const error = toAppError(original, context);
    assert.equal(error.code, 'PARTNER_CENTER.CONSENT_MISSING');
    assert.deepEqual(error.params, { x: 1, correlationId: context.correlationId });
  });

  it('when Retry-After is a number or an HTTP date, then it becomes seconds; nonsense is ignored', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(readRetryAfter('7', now), 7);
    assert.equal(readRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30);
    assert.equal(readRetryAfter('soon', now), undefined);
    assert.equal(readRetryAfter(undefined, now), undefined);
  });
});
