/**
 * Entra's device code flow as `npm run consent` uses it: `POST /{tenant}/oauth2/v2.0/devicecode` hands out
 * a device code and a user code, and `POST /{tenant}/oauth2/v2.0/token` with
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code` is polled until the sign-in is done. The
 * admin agent's consent gives a Partner Center App+User token and — with `offline_access` — the refresh
 * token the bot keeps. Codes approve themselves (device-codes.ts). AADSTS codes are illustrative.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/ports.ts';
import { createDeviceCodeRegistry, type DevicePollOutcome } from './device-codes.ts';
import { sendJson, type EntraErrorSpec } from './sim-http.ts';
import type { TokenRegistry } from './tokens.ts';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** The delegated permission the admin agent consents to (Partner Center's only one). */
export const PARTNER_CENTER_USER_IMPERSONATION = 'https://api.partnercenter.microsoft.com/user_impersonation';
const PARTNER_CENTER_DEFAULT = 'https://api.partnercenter.microsoft.com/.default';

const POLL_ERRORS: Record<Exclude<DevicePollOutcome, 'approved'>, EntraErrorSpec> = {
  pending: { status: 400, error: 'authorization_pending', code: 70016, description: 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.' },
  slow_down: { status: 400, error: 'slow_down', code: 70016, description: 'OAuth 2.0 device flow error. Polling too fast: wait the interval plus five seconds.' },
  expired: { status: 400, error: 'expired_token', code: 70020, description: "The provided value for the input parameter 'device_code' is not valid. This device code has expired." },
  unknown: { status: 400, error: 'bad_verification_code', code: 70000, description: "The provided value for the input parameter 'device_code' is not valid." },
  redeemed: { status: 400, error: 'invalid_grant', code: 54005, description: 'The device code was already redeemed.' },
};

export interface DeviceCodeRouteOptions {
  tokens: TokenRegistry;
  clock: Clock;
  fail(response: ServerResponse, spec: EntraErrorSpec): void;
}

export function createDeviceCodeRoutes(options: DeviceCodeRouteOptions) {
  const codes = createDeviceCodeRegistry(options.clock);

  return {
    /** Whether the requested scopes name Partner Center (delegated or .default). */
    isPartnerCenterScope(scope: string | undefined): boolean {
      const scopes = (scope ?? '').split(' ');
      return scopes.includes(PARTNER_CENTER_USER_IMPERSONATION) || scopes.includes(PARTNER_CENTER_DEFAULT);
    },

    answerDeviceCodeRequest(request: IncomingMessage, response: ServerResponse, form: Record<string, string>): void {
      const issued = codes.issue(form.client_id ?? '', (form.scope ?? '').split(' ').includes('offline_access'));
      // Nothing to open at a simulated Entra: the URL only looks like the real flow, and the message says so.
      const verificationUri = `http://${request.headers.host ?? '127.0.0.1'}/devicelogin`;
      sendJson(response, 200, {
        device_code: issued.deviceCode,
        user_code: issued.userCode,
        verification_uri: verificationUri,
        expires_in: issued.expiresIn,
        interval: issued.interval,
        message: `Partner Center simulator: nothing to open, the code ${issued.userCode} signs itself in within a few seconds.`,
      });
    },

    answerDeviceCodeGrant(response: ServerResponse, form: Record<string, string>): void {
      const outcome = codes.poll(form.device_code ?? '', form.client_id ?? '');
      if (outcome.result !== 'approved') return options.fail(response, POLL_ERRORS[outcome.result]);
      const { accessToken, expiresIn } = options.tokens.issueAccessToken('app-user', 'partner-center');
      const refresh = outcome.offlineAccess ? { refresh_token: options.tokens.issueRefreshToken() } : {};
      sendJson(
        response,
        200,
        { token_type: 'Bearer', scope: PARTNER_CENTER_USER_IMPERSONATION, expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken, ...refresh },
        { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
      );
    },
  };
}
