import assert from 'node:assert/strict';
import type { Store } from '../../../../src/core/ports.ts';
import { createRefreshTokenStore, REFRESH_TOKEN_KEY, REFRESH_TOKEN_NAMESPACE } from '../../../../src/integrations/partner-center/refresh-token.store.ts';
import { createStore } from '../../../../src/store/create-store.ts';
import { expectAppError } from './harness.ts';

const TOKEN = '0.AXEAsentinel-refresh-token-with-some-length-7f3e';
const KEY = 'correct horse battery staple';

describe('refresh token store', () => {
  let store: Store;
  beforeEach(async () => {
    store = await createStore('sqlite://:memory:');
  });
  afterEach(() => store.close());

  const raw = async () => JSON.stringify(await store.namespace(REFRESH_TOKEN_NAMESPACE).get(REFRESH_TOKEN_KEY));

  it('when a token is set, then it reads back and the raw stored value never contains it', async () => {
    const tokens = createRefreshTokenStore({ store, secretsKey: KEY });
    await tokens.set(TOKEN);
    assert.equal(await tokens.get(), TOKEN);
    const stored = await raw();
    assert.ok(!stored.includes(TOKEN) && !stored.includes('sentinel'));
    assert.deepEqual(Object.keys(JSON.parse(stored) as object).sort(), ['data', 'iv', 'tag', 'v']);
  });

  it('when the same token is set twice, then the ciphertexts differ (a fresh IV each time)', async () => {
    const tokens = createRefreshTokenStore({ store, secretsKey: KEY });
    await tokens.set(TOKEN);
    const first = await raw();
    await tokens.set(TOKEN);
    assert.notEqual(await raw(), first);
  });

  it('when nothing is stored, then the configured token is used; once one is stored, the stored one wins', async () => {
    const tokens = createRefreshTokenStore({ store, secretsKey: KEY, initial: 'configured' });
    assert.equal(await tokens.get(), 'configured');
    await tokens.set(TOKEN);
    assert.equal(await tokens.get(), TOKEN);
  });

  it('when neither a token is configured nor stored, then get answers undefined', async () => {
    assert.equal(await createRefreshTokenStore({ store, secretsKey: KEY }).get(), undefined);
  });

  it('when the key is wrong, then reading fails SECRETS.UNREADABLE and never yields the plaintext', async () => {
    await createRefreshTokenStore({ store, secretsKey: KEY }).set(TOKEN);
    const error = await expectAppError(createRefreshTokenStore({ store, secretsKey: 'another key' }).get(), 'SECRETS.UNREADABLE');
    assert.ok(!error.message.includes(TOKEN));
  });

  it('when the key is missing, then reading an encrypted token fails SECRETS.UNREADABLE', async () => {
    await createRefreshTokenStore({ store, secretsKey: KEY }).set(TOKEN);
    await expectAppError(createRefreshTokenStore({ store, allowUnencrypted: true }).get(), 'SECRETS.UNREADABLE');
  });

  it('when the stored ciphertext was tampered with, then reading fails SECRETS.UNREADABLE', async () => {
    const tokens = createRefreshTokenStore({ store, secretsKey: KEY });
    await tokens.set(TOKEN);
    const stored = JSON.parse(await raw()) as { data: string };
    const bytes = Buffer.from(stored.data, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    await store.namespace(REFRESH_TOKEN_NAMESPACE).set(REFRESH_TOKEN_KEY, { ...stored, data: bytes.toString('base64') });
    await expectAppError(tokens.get(), 'SECRETS.UNREADABLE');
  });

  it('when no key is configured, then storing fails CONFIG.SECRETS_KEY_MISSING and nothing is written', async () => {
    await expectAppError(createRefreshTokenStore({ store }).set(TOKEN), 'CONFIG.SECRETS_KEY_MISSING');
    assert.equal(await store.namespace(REFRESH_TOKEN_NAMESPACE).get(REFRESH_TOKEN_KEY), undefined);
  });

  it('when unencrypted storage is allowed (local mode), then a token without a key is stored and read back', async () => {
    const tokens = createRefreshTokenStore({ store, allowUnencrypted: true });
    await tokens.set(TOKEN);
    assert.equal(await tokens.get(), TOKEN);
  });
});
