/**
 * Access tokens for Partner Center (or, with another scope, Microsoft Graph) from Entra: App+User through the stored refresh token (rotated on
 * every refresh), App-only through client credentials. Tokens are cached until shortly before they
 * expire, and concurrent callers share one refresh, so a burst of calls costs one token request.
 */
import { AppError } from '../../core/errors.ts';
import type { Clock, Logger } from '../../core/ports.ts';
import type { AxiosInstance } from 'axios';
import type { RefreshTokenStore } from './refresh-token.store.ts';
import { sendRequest, parseJson } from './send-request.ts';
import { isConsentExpired, toAppError } from './to-app-error.ts';
import { readWire, tokenResponseSchema } from './wire.ts';

export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/.default';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
/** Refresh this long before expiry so a token never runs out between being handed out and being used. */
const EXPIRY_MARGIN_MS = 2 * 60 * 1000;

export type TokenKind = 'app-user' | 'app-only';
/** `app-user-or-app-only`: App+User when a consent exists (and still works), else App-only. */
export type AuthMode = 'app-user' | 'app-user-or-app-only';

export interface TokenProviderOptions {
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  refreshTokens: RefreshTokenStore;
  http: AxiosInstance;
  clock: Clock;
  log: Logger;
  /** The resource the tokens are for (default Partner Center). One refresh token serves every resource. */
  scope?: string;
}

export interface TokenProvider {
  getAccessToken(mode: AuthMode, timeoutMs: number): Promise<{ token: string; kind: TokenKind }>;
  /** Forgets `token` (Partner Center refused it) unless a newer one has replaced it already. */
  invalidate(kind: TokenKind, token: string): void;
}

interface CachedToken {
  token: string;
  refreshAt: number;
}

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { clock, log } = options;
  const scope = options.scope ?? PARTNER_CENTER_SCOPE;
  const tokenPath = `/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
  const cache = new Map<TokenKind, CachedToken>();
  const inflight = new Map<TokenKind, Promise<CachedToken>>();
  // Set only when persisting a rotated token failed: this process still uses the newest token it got.
  let unsavedRefreshToken: string | undefined;
  // The refresh token Entra last refused: reads skip App+User until a new consent replaces it, instead of a failing round-trip per page.
  let refusedRefreshToken: string | undefined;

  async function requestToken(form: Record<string, string>, timeoutMs: number): Promise<{ accessToken: string; expiresIn: number; refreshToken?: string }> {
    const body = new URLSearchParams({ client_id: options.clientId, client_secret: options.clientSecret, ...form }).toString();
    const text = await sendRequest(options.http, {
      service: 'entra',
      method: 'POST',
      url: `${options.authorityUrl}${tokenPath}`,
      path: tokenPath,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body,
      timeoutMs,
    });
    const parsed = readWire(tokenResponseSchema, parseJson(text, 'entra', tokenPath), 'entra', tokenPath);
    return { accessToken: parsed.access_token, expiresIn: parsed.expires_in, ...(parsed.refresh_token ? { refreshToken: parsed.refresh_token } : {}) };
  }

  async function currentRefreshToken(): Promise<string | undefined> {
    return unsavedRefreshToken ?? (await options.refreshTokens.get());
  }

  async function keepRotatedToken(previous: string, next: string | undefined): Promise<void> {
    if (!next || next === previous) return;
    try {
      await options.refreshTokens.set(next);
      unsavedRefreshToken = undefined;
    } catch (error) {
      unsavedRefreshToken = next;
      log.error({ code: toAppError(error, { correlationId: '-' }).code }, 'could not store the rotated Partner Center refresh token; keeping it in memory only');
    }
  }

  async function fetchAppUserToken(timeoutMs: number): Promise<CachedToken> {
    const refreshToken = await currentRefreshToken();
    if (!refreshToken) {
      throw new AppError('PARTNER_CENTER.CONSENT_MISSING', { message: 'No Partner Center refresh token: run npm run consent or set PARTNER_CENTER_REFRESH_TOKEN' });
    }
    try {
      const answer = await requestToken({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: `${scope} offline_access` }, timeoutMs);
      await keepRotatedToken(refreshToken, answer.refreshToken);
      return toCached(answer.accessToken, answer.expiresIn);
    } catch (error) {
      if (isConsentExpired(error)) {
        refusedRefreshToken = refreshToken;
        // A dead in-memory token must not hide a fresh consent stored meanwhile.
        unsavedRefreshToken = undefined;
      }
      throw error;
    }
  }

  async function fetchAppOnlyToken(timeoutMs: number): Promise<CachedToken> {
    const answer = await requestToken({ grant_type: 'client_credentials', scope }, timeoutMs);
    return toCached(answer.accessToken, answer.expiresIn);
  }

  function toCached(token: string, expiresInSeconds: number): CachedToken {
    const lifetimeMs = expiresInSeconds * 1000;
    const margin = Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2);
    return { token, refreshAt: clock.now() + lifetimeMs - margin };
  }

  function getToken(kind: TokenKind, timeoutMs: number): Promise<CachedToken> {
    const cached = cache.get(kind);
    if (cached && clock.now() < cached.refreshAt) return Promise.resolve(cached);
    const running = inflight.get(kind);
    if (running) return running;
    const fetching = (kind === 'app-user' ? fetchAppUserToken(timeoutMs) : fetchAppOnlyToken(timeoutMs))
      .then((fresh) => {
        cache.set(kind, fresh);
        return fresh;
      })
      .finally(() => inflight.delete(kind));
    inflight.set(kind, fetching);
    return fetching;
  }

  async function hasUsableConsent(): Promise<boolean> {
    const cached = cache.get('app-user');
    if (cached && clock.now() < cached.refreshAt) return true;
    const refreshToken = await currentRefreshToken();
    return refreshToken !== undefined && refreshToken !== refusedRefreshToken;
  }

  async function getPreferringAppUser(timeoutMs: number): Promise<{ token: string; kind: TokenKind }> {
    const appOnly = async () => ({ token: (await getToken('app-only', timeoutMs)).token, kind: 'app-only' as const });
    if (!(await hasUsableConsent())) return appOnly();
    try {
      return { token: (await getToken('app-user', timeoutMs)).token, kind: 'app-user' };
    } catch (error) {
      if (!isConsentExpired(error)) throw error;
      // Reading customers works App-only too; the expired consent still surfaces on the link request.
      log.warn({ code: 'PARTNER_CENTER.CONSENT_EXPIRED' }, 'App+User consent expired; reading with App-only credentials until a new consent is stored');
      return appOnly();
    }
  }

  return {
    async getAccessToken(mode, timeoutMs) {
      if (mode === 'app-user-or-app-only') return getPreferringAppUser(timeoutMs);
      return { token: (await getToken('app-user', timeoutMs)).token, kind: 'app-user' };
    },
    invalidate(kind, token) {
      if (cache.get(kind)?.token === token) cache.delete(kind);
    },
  };
}
