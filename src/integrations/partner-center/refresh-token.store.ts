/**
 * Where the App+User refresh token lives. Entra rotates it, so the newest one is kept in the store (shared
 * by every replica, surviving restarts), encrypted with AES-256-GCM under a key derived from SECRETS_KEY.
 * The stored token wins over the configured one: after the first rotation the configured one may be stale.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import type { Store } from '../../core/ports.ts';

export interface RefreshTokenStore {
  get(): Promise<string | undefined>;
  set(token: string): Promise<void>;
}

export interface RefreshTokenStoreOptions {
  store: Store;
  secretsKey?: string;
  /** The configured token (PARTNER_CENTER_REFRESH_TOKEN), used until a rotated one is stored. */
  initial?: string;
  /** Local mode and the simulator only: keep the token unencrypted when no key is configured. */
  allowUnencrypted?: boolean;
}

type StoredSecret = { v: 1; iv: string; tag: string; data: string } | { v: 0; data: string };

export const REFRESH_TOKEN_NAMESPACE = 'secrets';
export const REFRESH_TOKEN_KEY = 'partner-center.refresh-token';
// Binds the ciphertext to its slot: a value copied under another key will not decrypt.
const ASSOCIATED_DATA = Buffer.from(`${REFRESH_TOKEN_NAMESPACE}/${REFRESH_TOKEN_KEY}`);

export function createRefreshTokenStore(options: RefreshTokenStoreOptions): RefreshTokenStore {
  const secrets = options.store.namespace<StoredSecret>(REFRESH_TOKEN_NAMESPACE);
  const key = options.secretsKey ? createHash('sha256').update(options.secretsKey, 'utf8').digest() : undefined;

  return {
    async get() {
      const stored = await secrets.get(REFRESH_TOKEN_KEY);
      if (stored === undefined) return options.initial || undefined;
      return reveal(stored, key);
    },
    async set(token) {
      if (key) return secrets.set(REFRESH_TOKEN_KEY, seal(token, key));
      if (!options.allowUnencrypted) {
        throw new AppError('CONFIG.SECRETS_KEY_MISSING', { expected: false, message: 'SECRETS_KEY is required to keep the rotated Partner Center refresh token in the store' });
      }
      return secrets.set(REFRESH_TOKEN_KEY, { v: 0, data: token });
    },
  };
}

function seal(token: string, key: Buffer): StoredSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(ASSOCIATED_DATA);
  const data = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function reveal(stored: StoredSecret, key: Buffer | undefined): string {
  if (stored.v === 0) return stored.data;
  if (stored.v !== 1 || !key) throw unreadable(key ? 'unknown format' : 'SECRETS_KEY is not set');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(stored.iv, 'base64'));
    decipher.setAAD(ASSOCIATED_DATA);
    decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64')), decipher.final()]).toString('utf8');
  } catch (error) {
    // GCM refuses a wrong key or tampered data as a whole: nothing partial is ever returned.
    throw unreadable('wrong SECRETS_KEY or damaged value', error);
  }
}

function unreadable(reason: string, cause?: unknown): AppError {
  return new AppError('SECRETS.UNREADABLE', { expected: false, cause, message: `The stored Partner Center refresh token cannot be read: ${reason}` });
}
