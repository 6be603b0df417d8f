/** The simulator's memory of every token it issued: what kind, until when, and which refresh tokens still work. */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/ports.ts';

export type AccessTokenKind = 'app-user' | 'app-only';
/** Which API a token was issued for (its `aud`): a Partner Center token does not open Graph, and back. */
export type TokenAudience = 'partner-center' | 'graph';

export type RefreshOutcome = { ok: true; refreshToken: string } | { ok: false; reason: 'expired' | 'unknown' };

export interface TokenRegistryOptions {
  clock: Clock;
  initialRefreshToken: string;
  accessTokenLifetimeSeconds: number;
  refreshTokenGraceMs: number;
}

export interface TokenRegistry {
  issueAccessToken(kind: AccessTokenKind, audience?: TokenAudience): { accessToken: string; expiresIn: number };
  /** The access token's kind while it is valid for `audience` (default Partner Center); undefined for unknown, expired or foreign tokens. */
  verifyAccessToken(token: string, audience?: TokenAudience): AccessTokenKind | undefined;
  /** Spends `token` and issues its successor (rotation); the spent one keeps working for a grace period. */
  rotateRefreshToken(token: string): RefreshOutcome;
  /** A new consent: a fresh refresh token that works until rotated or expired. */
  issueRefreshToken(): string;
  /** The newest refresh token issued (what a well-behaved client should hold now). */
  currentRefreshToken(): string;
  expireRefreshTokens(): void;
  reset(): void;
}

interface RefreshTokenState {
  /** Set once rotated away: usable until then (grace), invalid afterwards. */
  validUntil?: number;
  expired: boolean;
}

export function createTokenRegistry(options: TokenRegistryOptions): TokenRegistry {
  const { clock } = options;
  const accessTokens = new Map<string, { kind: AccessTokenKind; audience: TokenAudience; expiresAt: number }>();
  const refreshTokens = new Map<string, RefreshTokenState>();
  let current = options.initialRefreshToken;

  function startFresh(): void {
    accessTokens.clear();
    refreshTokens.clear();
    current = options.initialRefreshToken;
    refreshTokens.set(current, { expired: false });
  }

  function isUsable(state: RefreshTokenState): boolean {
    return !state.expired && (state.validUntil === undefined || clock.now() < state.validUntil);
  }

  function issueRefreshToken(): string {
    current = `sim-rt-${randomBytes(24).toString('base64url')}`;
    refreshTokens.set(current, { expired: false });
    return current;
  }

  startFresh();
  return {
    issueAccessToken(kind, audience = 'partner-center') {
      const accessToken = randomBytes(32).toString('base64url');
      accessTokens.set(accessToken, { kind, audience, expiresAt: clock.now() + options.accessTokenLifetimeSeconds * 1000 });
      return { accessToken, expiresIn: options.accessTokenLifetimeSeconds };
    },
    verifyAccessToken(token, audience = 'partner-center') {
      const entry = accessTokens.get(token);
      if (!entry) return undefined;
      if (clock.now() < entry.expiresAt) return entry.audience === audience ? entry.kind : undefined;
      accessTokens.delete(token);
      return undefined;
    },
    rotateRefreshToken(token) {
      const state = refreshTokens.get(token);
      if (!state) return { ok: false, reason: 'unknown' };
      if (!isUsable(state)) return { ok: false, reason: 'expired' };
      state.validUntil ??= clock.now() + options.refreshTokenGraceMs;
      return { ok: true, refreshToken: issueRefreshToken() };
    },
    issueRefreshToken,
    currentRefreshToken: () => current,
    expireRefreshTokens() {
      for (const state of refreshTokens.values()) state.expired = true;
    },
    reset: startFresh,
  };
}
