import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, sendJson } from './http.ts';

/**
 * The Bot Framework's token-signing side on loopback: an OpenID metadata document and its JWKS, with a
 * key generated per fake, and RS256 tokens signed by hand the way the Bot Connector signs what it posts
 * to `/api/messages`. Point the bot at it with `authOverrides()` (botbuilder configuration keys).
 */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
const METADATA_PATH = '/v1/.well-known/openidconfiguration';
const KEYS_PATH = '/v1/.well-known/keys';

export interface TokenClaims {
  /** The bot's app id; botbuilder refuses any other. */
  aud?: string;
  iss?: string;
  /** The activity's serviceUrl: botbuilder compares it with the claim. */
  serviceurl?: string;
  /** Seconds since the epoch; default one hour from now. */
  exp?: number;
  nbf?: number;
  [claim: string]: unknown;
}

export interface SigningOptions {
  /** Default: the fake's own key id. */
  kid?: string;
  /** Default: the fake's own private key; pass another to forge. */
  key?: KeyObject;
  /** Header `alg`; anything but RS256 still gets an RS256 signature (a lying header). */
  alg?: string;
}

export interface FakeBotOpenId {
  readonly url: string;
  readonly metadataUrl: string;
  /** How often botbuilder fetched the metadata and the keys. */
  readonly fetches: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** botbuilder's ConfigurationBotFrameworkAuthentication keys: every parameter, since setting one makes it use all of them. */
  authOverrides(): Record<string, string>;
  sign(claims: TokenClaims, options?: SigningOptions): string;
  /** A token the Bot Connector would send for `appId` and `serviceUrl`, valid for an hour. */
  tokenFor(appId: string, serviceUrl: string, claims?: TokenClaims): string;
}

const base64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

/** RS256 over `header.payload`, as RFC 7515 says; `alg` in the header may lie (tests of the algorithm check). */
export function signJwt(claims: object, key: KeyObject, kid: string, alg = 'RS256'): string {
  const input = `${base64url(JSON.stringify({ alg, typ: 'JWT', kid }))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key);
  return `${input}.${base64url(signature)}`;
}

export function generateSigningKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

export function createFakeBotOpenId(): FakeBotOpenId {
  const privateKey = generateSigningKey();
  const kid = `fake-kid-${Date.now().toString(36)}`;
  const jwk = privateKey.export({ format: 'jwk' });
  let server: http.Server | undefined;
  let origin: string | undefined;
  let fetches = 0;
  const requireOrigin = (): string => {
    if (!origin) throw new Error('fake bot OpenID: call start() first');
    return origin;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === METADATA_PATH || path === KEYS_PATH) fetches += 1;
    if (path === METADATA_PATH) {
      sendJson(res, 200, { issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: `${requireOrigin()}${KEYS_PATH}`, id_token_signing_alg_values_supported: ['RS256'] });
    } else if (path === KEYS_PATH) {
      // Real Bot Framework keys carry endorsements: the channels a key may sign for.
      sendJson(res, 200, { keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams', 'emulator', 'webchat'] }] });
    } else {
      sendJson(res, 404, { error: 'not found' });
    }
  }

  const sign = (claims: TokenClaims, options: SigningOptions = {}): string => {
    const now = Math.floor(Date.now() / 1000);
    return signJwt({ iss: BOT_FRAMEWORK_ISSUER, nbf: now - 60, exp: now + 3600, ...claims }, options.key ?? privateKey, options.kid ?? kid, options.alg);
  };

  return {
    get url() {
      return requireOrigin();
    },
    get metadataUrl() {
      return `${requireOrigin()}${METADATA_PATH}`;
    },
    get fetches() {
      return fetches;
    },
    async start() {
      ({ server, url: origin } = await listenOnLoopback(handle));
    },
    async stop() {
      if (server) await closeServer(server);
      server = undefined;
    },
    authOverrides() {
      // Public-cloud values (botframework-connector's AuthenticationConstants) for everything but the keys,
      // so outbound calls would still go to the real login endpoint and only inbound trust is redirected.
      return {
        ValidateAuthority: 'true',
        ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
        ToChannelFromBotOAuthScope: 'https://api.botframework.com',
        ToBotFromChannelTokenIssuer: BOT_FRAMEWORK_ISSUER,
        OAuthUrl: 'https://api.botframework.com',
        ToBotFromChannelOpenIdMetadataUrl: `${requireOrigin()}${METADATA_PATH}`,
        ToBotFromEmulatorOpenIdMetadataUrl: `${requireOrigin()}${METADATA_PATH}`,
        CallerId: 'urn:botframework:azure',
      };
    },
    sign,
    tokenFor: (appId, serviceUrl, claims = {}) => sign({ aud: appId, serviceurl: serviceUrl, ...claims }),
  };
}
