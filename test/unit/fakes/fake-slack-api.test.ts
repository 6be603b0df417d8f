import assert from 'node:assert/strict';
import { ErrorCode, LogLevel, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { createFakeSlackApi, RESPONSE_URL_METHOD, type FakeSlackApi } from '../../fakes/fake-slack-api.ts';

const TOKEN = 'xoxb-fake-token';

/** WebClient adds `response_metadata` to the data, so compare only what Slack's error is about. */
function isPlatformError(expected: string, extra: Record<string, unknown> = {}) {
  return (error: WebAPIPlatformError): boolean => {
    assert.equal(error.code, ErrorCode.PlatformError);
    assert.equal(error.data.error, expected);
    const picked = Object.fromEntries(Object.entries(error.data).filter(([key]) => key in extra));
    assert.deepEqual(picked, extra);
    return true;
  };
}

describe('fake Slack Web API, driven by the real @slack/web-api WebClient', () => {
  let fakeSlack: FakeSlackApi;
  let client: WebClient;

  before(async () => {
    fakeSlack = createFakeSlackApi({ token: TOKEN });
    const { apiUrl } = await fakeSlack.start();
    // No retries: the fake's faults must reach the test, not be absorbed by WebClient's 30-minute policy.
    client = new WebClient(TOKEN, { slackApiUrl: apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
  });
  afterEach(() => fakeSlack.reset());
  after(() => fakeSlack.stop());

  it('answers auth.test with the configured identity and records the bearer token', async () => {
    const result = await client.auth.test();
    assert.equal(result.ok, true);
    assert.equal(result.user_id, 'U0FAKEBOT');
    assert.equal(result.bot_id, 'B0FAKEBOT');
    assert.equal(result.team_id, 'T0FAKETEAM');
    assert.equal(fakeSlack.callsOf('auth.test')[0]?.headers.authorization, `Bearer ${TOKEN}`);
  });

  it('records chat.postMessage blocks as the objects the client sent', async () => {
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: '*Contoso* accepted' } },
      { type: 'actions', elements: [{ type: 'button', action_id: 'open', text: { type: 'plain_text', text: 'Open' } }] },
    ];
    const first = await client.chat.postMessage({ channel: 'C0FAKECHAN', text: 'Contoso accepted', blocks });
    const second = await client.chat.postMessage({ channel: 'C0FAKECHAN', text: 'again', thread_ts: first.ts });

    assert.match(first.ts ?? '', /^\d{10}\.000100$/);
    assert.notEqual(first.ts, second.ts);
    assert.deepEqual(first.message?.blocks, blocks);
    const [call] = fakeSlack.callsOf('chat.postMessage');
    assert.deepEqual(call?.args.blocks, blocks);
    assert.equal(call?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(fakeSlack.callsOf('chat.postMessage')[1]?.args.thread_ts, first.ts);
  });

  it('answers chat.update, chat.postEphemeral and views.open', async () => {
    const updated = await client.chat.update({ channel: 'C1', ts: '1700000001.000100', text: 'new' });
    assert.equal(updated.ts, '1700000001.000100');
    const ephemeral = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    assert.match(ephemeral.message_ts ?? '', /\.000100$/);
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Invite' }, blocks: [] };
    const opened = await client.views.open({ trigger_id: '123.456.abc', view });
    assert.match(opened.view?.id ?? '', /^V/);
    assert.deepEqual(fakeSlack.callsOf('views.open')[0]?.args.view, view);
  });

  it('returns a configured user locale only when include_locale is asked for, as Slack does', async () => {
    fakeSlack.setUser({ id: 'U0DE', real_name: 'Grete Admin', locale: 'de-DE', tz: 'Europe/Berlin' });
    const withLocale = await client.users.info({ user: 'U0DE', include_locale: true });
    const withoutLocale = await client.users.info({ user: 'U0DE' });
    assert.equal(withLocale.user?.locale, 'de-DE');
    assert.equal(withLocale.user?.real_name, 'Grete Admin');
    assert.equal(withLocale.user?.is_bot, false);
    assert.equal(withoutLocale.user?.locale, undefined);
  });

  it('answers conversations.info per channel, DMs by their D prefix', async () => {
    fakeSlack.setChannel({ id: 'C0SHARED', name: 'contoso-shared', is_ext_shared: true });
    const shared = await client.conversations.info({ channel: 'C0SHARED' });
    const dm = await client.conversations.info({ channel: 'D0FAKEDM' });
    assert.equal(shared.channel?.is_ext_shared, true);
    assert.equal(shared.channel?.name, 'contoso-shared');
    assert.equal(dm.channel?.is_im, true);
  });

  it('turns a 429 fault into the client rate-limit error carrying Retry-After', async () => {
    fakeSlack.failNext({ status: 429, headers: { 'retry-after': '7' } }, 1, 'chat.postMessage');
    await assert.rejects(client.chat.postMessage({ channel: 'C1', text: 'x' }), (error: WebAPIRateLimitedError) => {
      assert.equal(error.code, ErrorCode.RateLimitedError);
      assert.equal(error.retryAfter, 7);
      return true;
    });
    assert.equal(fakeSlack.callsOf('chat.postMessage')[0]?.status, 429);
    await client.chat.postMessage({ channel: 'C1', text: 'after the fault' });
  });

  it('turns ok:false faults into platform errors, for a given count of calls', async () => {
    fakeSlack.failNext({ error: 'not_in_channel' }, 2, 'chat.postMessage');
    for (const _ of [1, 2]) {
      await assert.rejects(client.chat.postMessage({ channel: 'C1', text: 'x' }), isPlatformError('not_in_channel'));
    }
    await client.auth.test();
    assert.equal((await client.chat.postMessage({ channel: 'C1', text: 'x' })).ok, true);
  });

  it('turns a 500 fault into an HTTP error and a dropped connection into a request error', async () => {
    fakeSlack.failNext({ status: 500 });
    await assert.rejects(client.auth.test(), { code: ErrorCode.HTTPError, statusCode: 500 });
    fakeSlack.failNext({ drop: true });
    await assert.rejects(client.auth.test(), { code: ErrorCode.RequestError });
    assert.deepEqual(fakeSlack.callsOf('auth.test').map((call) => call.status), [500, 0]);
  });

  it('lets a responder decide per call, e.g. one archived channel', async () => {
    fakeSlack.setResponder((call) => (call.args.channel === 'C0OLD' ? { error: 'is_archived' } : undefined));
    await assert.rejects(client.chat.postMessage({ channel: 'C0OLD', text: 'x' }), isPlatformError('is_archived'));
    assert.equal((await client.chat.postMessage({ channel: 'C0NEW', text: 'x' })).ok, true);
  });

  it('delays an answer without failing it', async () => {
    fakeSlack.failNext({ delayMs: 150 });
    const started = Date.now();
    await client.auth.test();
    assert.ok(Date.now() - started >= 140, 'the answer came back too early');
  });

  it('rejects calls without or with a wrong token like Slack', async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: fakeSlack.apiUrl, retryConfig: { retries: 0 } });
    await assert.rejects(anonymous.auth.test(), isPlatformError('not_authed'));
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: fakeSlack.apiUrl, retryConfig: { retries: 0 } });
    await assert.rejects(wrong.auth.test(), isPlatformError('invalid_auth'));
  });

  it('answers unknown methods with unknown_method', async () => {
    await assert.rejects(client.apiCall('chat.doesNotExist', {}), isPlatformError('unknown_method', { req_method: 'chat.doesNotExist' }));
  });

  it('records JSON posts to a response_url', async () => {
    const response = await fetch(fakeSlack.responseUrl('cmd-1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'done', response_type: 'ephemeral' }),
    });
    assert.equal(response.status, 200);
    const [call] = fakeSlack.callsOf(RESPONSE_URL_METHOD);
    assert.deepEqual(call?.args, { text: 'done', response_type: 'ephemeral' });
    assert.equal(call?.path, '/response/cmd-1');
  });

  it('waits for calls that arrive later and explains a timeout with what did arrive', async () => {
    const waiting = fakeSlack.waitForCalls('chat.postMessage', 2, 1000);
    setTimeout(() => void client.chat.postMessage({ channel: 'C1', text: 'one' }).then(() => client.chat.postMessage({ channel: 'C1', text: 'two' })), 20);
    assert.equal((await waiting).length, 2);

    await client.auth.test();
    await assert.rejects(fakeSlack.waitForCalls('chat.update', 1, 50), (error: Error) => {
      assert.match(error.message, /expected 1 chat\.update calls, got 0/);
      assert.match(error.message, /auth\.test -> 200/);
      return true;
    });
  });
});
