import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStore } from '../../src/store/create-store.ts';
import { childEnv } from './support/child-env.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runOutbox(args: string[], storeUrl: string): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', 'outbox', '--silent', '--', ...args], { cwd: ROOT, env: childEnv({ STORE_URL: storeUrl }), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('e2e: npm run outbox', function () {
  this.timeout(60_000);
  let folder: string;
  let storeUrl: string;

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'outbox-cli-'));
    storeUrl = `sqlite://${path.join(folder, 'bot.sqlite')}`;
    const store = await createStore(storeUrl);
    const now = Date.now();
    await store.events.recordEvent({ id: 'event-1', dedupeKey: 'k1', kind: 'accepted', body: {}, receivedAt: now }, [
      { id: 'message-1', eventId: 'event-1', conversationKey: 'teams:t:c1', payload: {} },
    ]);
    const [claimed] = await store.outbox.claimDue('test', now, 1, 60_000);
    assert.ok(claimed && (await store.outbox.markDead(claimed.id, 'test', 'HTTP 500 after 24 h of retries')));
    await store.close();
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('when listing, then it shows the counts and each dead notification', async () => {
    const { code, output } = await runOutbox(['list'], storeUrl);
    assert.equal(code, 0, output);
    assert.match(output, /pending: 0, sending: 0, done: 0, dead: 1/);
    assert.match(output, /message-1 {2}teams:t:c1 {2}attempts=1 .* error=HTTP 500 after 24 h of retries/);
  });

  it('when replaying, then dead notifications go back to the queue', async () => {
    const replay = await runOutbox(['replay'], storeUrl);
    assert.equal(replay.code, 0, replay.output);
    assert.match(replay.output, /replayed: 1/);
    assert.match((await runOutbox(['list'], storeUrl)).output, /pending: 1, sending: 0, done: 0, dead: 0/);
  });

  it('when called without a known command, then it prints the usage and exits 2', async () => {
    const { code, output } = await runOutbox(['purge'], storeUrl);
    assert.equal(code, 2);
    assert.match(output, /usage: npm run outbox -- list \| replay/);
  });
});
