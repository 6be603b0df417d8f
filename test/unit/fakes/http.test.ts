import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LogLevel, WebClient } from '@slack/web-api';
import { createFakeBotConnector } from '../../fakes/fake-bot-connector.ts';
import { createFakeSlackApi } from '../../fakes/fake-slack-api.ts';
import { parseBody } from '../../fakes/http.ts';

// Sockets are counted process-wide; timers are tracked by where they were created (trackTimersFrom),
// because mocha and undici keep timers of their own that come and go.
const WATCHED = ['TCPServerWrap', 'TCPSocketWrap'];

function countSockets(): Record<string, number> {
  const counts = Object.fromEntries(WATCHED.map((name) => [name, 0]));
  for (const name of process.getActiveResourcesInfo()) if (name in counts) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** Client sockets close one event-loop turn after the server destroys them; give them a moment. */
async function waitForSocketsAtMost(baseline: Record<string, number>): Promise<Record<string, number>> {
  let now = countSockets();
  for (let attempt = 0; attempt < 50 && WATCHED.some((name) => (now[name] ?? 0) > (baseline[name] ?? 0)); attempt += 1) {
    await sleep(10);
    now = countSockets();
  }
  return now;
}

/** Counts live timers whose creation stack passes through `pathPart`. */
function trackTimersFrom(pathPart: string): { live(): number; disable(): void } {
  const live = new Set<number>();
  const hook = createHook({
    init(id, type) {
      if (type === 'Timeout' && new Error().stack?.includes(pathPart)) live.add(id);
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return { live: () => live.size, disable: () => void hook.disable() };
}

describe('fake HTTP plumbing', () => {
  let disableTracking: (() => void) | undefined;
  afterEach(() => disableTracking?.());

  it('parses JSON, form and text bodies by content type', () => {
    assert.deepEqual(parseBody('{"a":1}', 'application/json; charset=utf-8'), { a: 1 });
    assert.deepEqual(parseBody('a=1&b=x%20y', 'application/x-www-form-urlencoded'), { a: '1', b: 'x y' });
    assert.equal(parseBody('plain', 'text/plain'), 'plain');
    assert.equal(parseBody('', 'application/json'), undefined);
  });

  it('answers 413 when a body exceeds the cap', async () => {
    const fake = createFakeBotConnector({ bodyLimitBytes: 1024 });
    const { url } = await fake.start();
    try {
      const body = JSON.stringify({ type: 'message', text: 'x'.repeat(4096) });
      const response = await fetch(`${url}/v3/conversations/a%3A1/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(response.status, 413);
      assert.deepEqual(fake.calls, [], 'an oversized request is refused before it is recorded');
    } finally {
      await fake.stop();
    }
  });

  it('stop() closes keep-alive sockets, cuts fault delays short and rejects pending waits, leaving no handles', async () => {
    const baseline = countSockets();
    const timers = trackTimersFrom('/test/fakes/');
    disableTracking = timers.disable;
    const fakeSlack = createFakeSlackApi();
    const fakeConnector = createFakeBotConnector();
    const { apiUrl } = await fakeSlack.start();
    const { url } = await fakeConnector.start();
    const client = new WebClient('xoxb-x', { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
    await client.auth.test();

    fakeSlack.failNext({ delayMs: 60_000 });
    fakeConnector.failNext({ delayMs: 60_000 });
    const slowSlack = client.auth.test().then(() => 'answered', () => 'failed');
    const slowConnector = fetch(`${url}/v3/conversations/a%3A1/activities`, { method: 'POST', body: '{"type":"message"}' }).then(
      () => 'answered',
      () => 'failed',
    );
    await fakeSlack.waitForCalls('auth.test', 2, 2000);
    const neverComing = assert.rejects(fakeConnector.waitForActivities(5, 60_000), /fake bot connector stopped/);
    await sleep(20);
    assert.ok(timers.live() >= 3, 'two fault delays and one wait should be pending before stop()');

    const started = Date.now();
    await Promise.all([fakeSlack.stop(), fakeConnector.stop()]);
    assert.ok(Date.now() - started < 1000, 'stop() waited for a fault delay');
    assert.equal(await slowSlack, 'failed');
    assert.equal(await slowConnector, 'failed');
    await neverComing;

    assert.deepEqual(await waitForSocketsAtMost(baseline), baseline);
    assert.equal(timers.live(), 0, 'a fake left a timer running');
  });
});
