/**
 * Entra's v2.0 token endpoint as the Partner Center and Graph clients use it: `refresh_token` (App+User,
 * with rotation) and `client_credentials` (App-only), with Entra-shaped errors and AADSTS codes. Tokens
 * carry their audience: the Partner Center scope or the Graph scope. The simulated app registration has
 * Graph *delegated* permissions only (DelegatedAdminRelationship.ReadWrite.All, as GDAP needs), so an
 * App-only Graph token is refused with invalid_scope — a simplification: real Entra would issue one
 * without roles and Graph would then answer 403.
 *
 * The device code flow (`/devicecode`, then the token endpoint with the device_code grant) is in
 * device-code.routes.ts; it arrives here because ENTRA_TOKEN_PATH matches both endpoints.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/ports.ts';
import type { RecordedRequest } from './controls.ts';
import { GRAPH_SCOPE, PARTNER_CENTER_SCOPE } from './defaults.ts';
import { createDeviceCodeRoutes, DEVICE_CODE_GRANT } from './device-code.routes.ts';
import { readForm, sendEntraError, sendJson, type EntraErrorSpec } from './sim-http.ts';
import type { TokenAudience, TokenRegistry } from './tokens.ts';

/** Entra's v2.0 OAuth endpoints the simulator serves: `token` and `devicecode` (group 1 is the tenant). */
export const ENTRA_TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/(?:token|devicecode)$/;
const DEVICE_CODE_PATH = /\/oauth2\/v2\.0\/devicecode(?:\?|$)/;

export interface EntraRouteOptions {
  tokens: TokenRegistry;
  clock: Clock;
  partnerTenantId: string;
  clientId: string;
  clientSecret: string;
}

const ERRORS = {
  tenantNotFound: { status: 400, error: 'invalid_request', code: 90002, description: "Tenant not found. Check to make sure you have the correct tenant ID." },
  unknownClient: { status: 400, error: 'unauthorized_client', code: 700016, description: 'Application was not found in the directory.' },
  badSecret: { status: 401, error: 'invalid_client', code: 7000215, description: 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.' },
  badScope: { status: 400, error: 'invalid_scope', code: 70011, description: 'The provided request must include a valid scope.' },
  badGrant: { status: 400, error: 'unsupported_grant_type', code: 70003, description: 'The app requested an unsupported grant type.' },
  expiredGrant: { status: 400, error: 'invalid_grant', code: 700082, description: 'The refresh token has expired due to inactivity.' },
  unknownGrant: { status: 400, error: 'invalid_grant', code: 9002313, description: 'Invalid request. Request is malformed or invalid.' },
} satisfies Record<string, EntraErrorSpec>;

export function createEntraRoutes(options: EntraRouteOptions) {
  const fail = (response: ServerResponse, spec: EntraErrorSpec) => sendEntraError(response, spec, options.clock.now());
  const deviceCodes = createDeviceCodeRoutes({ tokens: options.tokens, clock: options.clock, fail });

  /** The app registration: tenant, client id and (for the token endpoint) the client secret. */
  function checkApp(tenant: string, form: Record<string, string>, needsSecret: boolean): EntraErrorSpec | undefined {
    if (tenant.toLowerCase() !== options.partnerTenantId.toLowerCase()) return ERRORS.tenantNotFound;
    if (form.client_id !== options.clientId) return ERRORS.unknownClient;
    if (needsSecret && form.client_secret !== options.clientSecret) return ERRORS.badSecret;
    return undefined;
  }

  function checkClient(tenant: string, form: Record<string, string>): EntraErrorSpec | undefined {
    return checkApp(tenant, form, true) ?? (audienceOf(form) ? undefined : ERRORS.badScope);
  }

  /** `/devicecode` takes no secret (the device may be a public client); it must ask for Partner Center. */
  function answerDeviceCodeRequest(request: IncomingMessage, response: ServerResponse, tenant: string, form: Record<string, string>): void {
    const problem = checkApp(tenant, form, false) ?? (deviceCodes.isPartnerCenterScope(form.scope) ? undefined : ERRORS.badScope);
    if (problem) return fail(response, problem);
    deviceCodes.answerDeviceCodeRequest(request, response, form);
  }

  /** The API the requested scope names; Graph only for App+User (see above). */
  function audienceOf(form: Record<string, string>): TokenAudience | undefined {
    const scopes = (form.scope ?? '').split(' ');
    if (scopes.includes(PARTNER_CENTER_SCOPE)) return 'partner-center';
    if (scopes.includes(GRAPH_SCOPE) && form.grant_type === 'refresh_token') return 'graph';
    return undefined;
  }

  function answerRefreshGrant(response: ServerResponse, form: Record<string, string>): void {
    const outcome = options.tokens.rotateRefreshToken(form.refresh_token ?? '');
    if (!outcome.ok) return fail(response, outcome.reason === 'expired' ? ERRORS.expiredGrant : ERRORS.unknownGrant);
    const audience = audienceOf(form) ?? 'partner-center';
    const { accessToken, expiresIn } = options.tokens.issueAccessToken('app-user', audience);
    sendToken(response, accessToken, expiresIn, audience, { refresh_token: outcome.refreshToken });
  }

  function answerClientCredentials(response: ServerResponse): void {
    const { accessToken, expiresIn } = options.tokens.issueAccessToken('app-only', 'partner-center');
    sendToken(response, accessToken, expiresIn, 'partner-center');
  }

  return {
    async handleTokenRequest(request: IncomingMessage, response: ServerResponse, tenant: string, recorded: RecordedRequest): Promise<void> {
      const form = await readForm(request);
      if (DEVICE_CODE_PATH.test(request.url ?? '')) return answerDeviceCodeRequest(request, response, tenant, form);
      if (form.grant_type) recorded.grantType = form.grant_type;
      // The scope was given to /devicecode; the poll names only the grant, the app and the device code.
      if (form.grant_type === DEVICE_CODE_GRANT) {
        const appProblem = checkApp(tenant, form, true);
        return appProblem ? fail(response, appProblem) : deviceCodes.answerDeviceCodeGrant(response, form);
      }
      const problem = checkClient(tenant, form);
      if (problem) return fail(response, problem);
      if (form.grant_type === 'refresh_token') return answerRefreshGrant(response, form);
      if (form.grant_type === 'client_credentials') return answerClientCredentials(response);
      return fail(response, ERRORS.badGrant);
    },
  };
}

function sendToken(response: ServerResponse, accessToken: string, expiresIn: number, audience: TokenAudience, extra: Record<string, string> = {}): void {
  sendJson(
    response,
    200,
    { token_type: 'Bearer', scope: audience === 'graph' ? GRAPH_SCOPE : PARTNER_CENTER_SCOPE, expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken, ...extra },
    { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
  );
}
