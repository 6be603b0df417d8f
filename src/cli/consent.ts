/**
 * `npm run consent`: a Partner Center admin agent signs in once with the device code flow (App+User, MFA
 * at Entra), and the refresh token Entra returns is stored through the bot's refresh-token store —
 * encrypted with SECRETS_KEY, or in local mode as the bot itself keeps it. The bot picks it up at its next
 * token refresh; no restart. Prints the verification URL and the user code, never a token.
 *
 * Where it signs in: live mode uses ENTRA_AUTHORITY_URL, PARTNER_TENANT_ID and the app registration (so
 * the settings `npm run simulator` prints point it at a standalone simulator); local mode uses the
 * simulator inside the running bot, found through LOCAL_MODE_FILE.
 */
import { pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { loadDotEnv, readConfig, type Config } from '../config.ts';
import { createRefreshTokenStore } from '../integrations/partner-center/refresh-token.store.ts';
import { liveClientTarget, simulatorClientTarget } from '../partner-center-setup.ts';
import { readLocalModeFile } from '../simulator/local-mode-file.ts';
import { createStore } from '../store/create-store.ts';

/** The delegated Partner Center permission, plus offline_access: without it Entra returns no refresh token. */
export const CONSENT_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation offline_access';
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628: 5 s when the server names no interval, and 5 s more after each slow_down. */
const DEFAULT_INTERVAL_SECONDS = 5;
const SLOW_DOWN_STEP_SECONDS = 5;
const REQUEST_TIMEOUT_MS = 30_000;

export class ConsentError extends Error {}

export interface SignInTarget {
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface DeviceCodePrompt {
  verificationUri: string;
  userCode: string;
  expiresInSeconds: number;
  /** Entra's own instruction, when it sends one. */
  message?: string;
}

export interface SignInOptions {
  onPrompt(prompt: DeviceCodePrompt): void;
  /** Waits between polls (tests pass a recording clock). */
  sleep?(ms: number): Promise<void>;
  now?(): number;
}

interface OAuthAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function postForm(url: string, form: Record<string, string>): Promise<OAuthAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new ConsentError(`Entra did not answer at ${new URL(url).origin}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = (await response.json().catch(() => ({}))) as unknown;
  return { status: response.status, body: body && typeof body === 'object' ? (body as Record<string, unknown>) : {} };
}

/** `invalid_client: AADSTS7000215: Invalid client secret provided…` — the first line only (no trace ids). */
function describeError(body: Record<string, unknown>, status: number): string {
  const description = typeof body.error_description === 'string' ? body.error_description.split(/\r?\n/)[0] : '';
  return `${typeof body.error === 'string' ? body.error : `HTTP ${status}`}${description ? `: ${description}` : ''}`;
}

function endpoint(target: SignInTarget, name: 'devicecode' | 'token'): string {
  return `${target.authorityUrl}/${encodeURIComponent(target.tenantId)}/oauth2/v2.0/${name}`;
}

async function requestDeviceCode(target: SignInTarget): Promise<{ deviceCode: string; intervalSeconds: number; prompt: DeviceCodePrompt }> {
  const { status, body } = await postForm(endpoint(target, 'devicecode'), { client_id: target.clientId, scope: CONSENT_SCOPE });
  const { device_code: deviceCode, user_code: userCode, verification_uri: verificationUri, expires_in: expiresIn, interval, message } = body;
  if (status !== 200 || typeof deviceCode !== 'string' || typeof userCode !== 'string' || typeof verificationUri !== 'string') {
    throw new ConsentError(`Entra refused to start the sign-in: ${describeError(body, status)}`);
  }
  return {
    deviceCode,
    intervalSeconds: Number(interval) > 0 ? Number(interval) : DEFAULT_INTERVAL_SECONDS,
    prompt: { verificationUri, userCode, expiresInSeconds: Number(expiresIn) > 0 ? Number(expiresIn) : 900, ...(typeof message === 'string' ? { message } : {}) },
  };
}

/**
 * The device code flow: asks for a code, shows it, then polls the token endpoint every `interval` seconds
 * until the admin agent has signed in, declined, or the code expired. Returns the refresh token.
 */
export async function signInWithDeviceCode(target: SignInTarget, options: SignInOptions): Promise<{ refreshToken: string }> {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const now = options.now ?? Date.now;
  const { deviceCode, intervalSeconds, prompt } = await requestDeviceCode(target);
  options.onPrompt(prompt);
  const deadline = now() + prompt.expiresInSeconds * 1000;
  let interval = intervalSeconds;
  const poll = { grant_type: DEVICE_CODE_GRANT, client_id: target.clientId, client_secret: target.clientSecret, device_code: deviceCode };
  for (;;) {
    await sleep(interval * 1000);
    if (now() > deadline) throw new ConsentError('The code expired before the sign-in finished: run npm run consent again.');
    const { status, body } = await postForm(endpoint(target, 'token'), poll);
    if (status === 200) return readRefreshToken(body);
    switch (body.error) {
      case 'authorization_pending':
        continue;
      case 'slow_down':
        interval += SLOW_DOWN_STEP_SECONDS;
        continue;
      case 'expired_token':
        throw new ConsentError('The code expired before the sign-in finished: run npm run consent again.');
      case 'access_denied':
      case 'authorization_declined':
        throw new ConsentError('The sign-in was declined; nothing was stored.');
      default:
        throw new ConsentError(`Entra refused the sign-in: ${describeError(body, status)}`);
    }
  }
}

function readRefreshToken(body: Record<string, unknown>): { refreshToken: string } {
  if (typeof body.refresh_token !== 'string' || !body.refresh_token) {
    throw new ConsentError('Entra signed the admin agent in but returned no refresh token (was offline_access granted?); nothing was stored.');
  }
  return { refreshToken: body.refresh_token };
}

/** Live mode: the configured authority and app. Local mode: the simulator of the running bot. */
function findTarget(config: Readonly<Config>): { target: SignInTarget; where: string } {
  if (config.mode === 'live') {
    return { target: liveClientTarget(config), where: `Entra at ${config.ENTRA_AUTHORITY_URL}` };
  }
  const info = readLocalModeFile(config.LOCAL_MODE_FILE);
  if (!info) {
    throw new ConsentError(
      `No Partner Center to sign in to: this is local mode and no bot is running (no readable ${config.LOCAL_MODE_FILE}). Start the bot with npm start and run this again, or set PARTNER_TENANT_ID, PARTNER_CENTER_CLIENT_ID and PARTNER_CENTER_CLIENT_SECRET for live mode.`,
    );
  }
  return { target: simulatorClientTarget(info.simulatorUrl), where: `the Partner Center simulator of the local-mode bot (${info.simulatorUrl})` };
}

function printPrompt(prompt: DeviceCodePrompt): void {
  const minutes = Math.round(prompt.expiresInSeconds / 60);
  const lines = [
    'Sign in as a Partner Center admin agent (MFA is required):',
    `  1. open        ${prompt.verificationUri}`,
    `  2. enter code  ${prompt.userCode}`,
    ...(prompt.message ? [`  (${prompt.message})`] : []),
    `Waiting for the sign-in; the code expires in ${minutes} minutes.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = readConfig();
  if (config.mode === 'live' && !config.SECRETS_KEY) {
    throw new ConsentError('SECRETS_KEY is not set: the refresh token is kept encrypted in the store with it. Set the same SECRETS_KEY the bot uses, then run this again.');
  }
  const { target, where } = findTarget(config);
  // Open the store first: a store that does not answer should fail before anyone signs in.
  const store = await createStore(config.STORE_URL, { prefix: config.STORE_PREFIX });
  try {
    process.stdout.write(`Signing in with ${where}.\n`);
    const { refreshToken } = await signInWithDeviceCode(target, { onPrompt: printPrompt });
    const refreshTokens = createRefreshTokenStore({ store, secretsKey: config.SECRETS_KEY, allowUnencrypted: config.mode === 'local' });
    await refreshTokens.set(refreshToken);
  } finally {
    await store.close();
  }
  const how = config.SECRETS_KEY ? 'encrypted with SECRETS_KEY' : 'unencrypted (local mode without SECRETS_KEY)';
  process.stdout.write(`Signed in. The Partner Center refresh token is stored ${how} in the store; the bot uses it from its next token refresh, no restart needed.\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`consent: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
