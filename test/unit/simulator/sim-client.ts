import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, SIMULATOR_PARTNER_TENANT_ID, SIMULATOR_REFRESH_TOKEN } from '../../../src/simulator/defaults.ts';
import type { PartnerCenterSimulator } from '../../../src/simulator/simulator.ts';

export const PC_SCOPE = 'https://api.partnercenter.microsoft.com/.default';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** Plain fetch, so these tests see the simulator's wire format and nothing the client smooths over. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: tests look at `text`.
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function requestToken(simulator: PartnerCenterSimulator, form: Record<string, string>, tenant = SIMULATOR_PARTNER_TENANT_ID): Promise<Answer> {
  const body = new URLSearchParams({ client_id: SIMULATOR_CLIENT_ID, client_secret: SIMULATOR_CLIENT_SECRET, scope: PC_SCOPE, ...form });
  return call(`${simulator.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}

export async function accessToken(simulator: PartnerCenterSimulator, kind: 'app-user' | 'app-only'): Promise<string> {
  const form: Record<string, string> = kind === 'app-user' ? { grant_type: 'refresh_token', refresh_token: simulator.controls.currentRefreshToken() || SIMULATOR_REFRESH_TOKEN } : { grant_type: 'client_credentials' };
  const answer = await requestToken(simulator, form);
  if (answer.status !== 200) throw new Error(`token request failed: ${answer.text}`);
  return answer.json.access_token as string;
}

export function get(simulator: PartnerCenterSimulator, path: string, token: string | undefined, headers: Record<string, string> = {}): Promise<Answer> {
  return call(`${simulator.url}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), accept: 'application/json', ...headers } });
}
