import assert from 'node:assert/strict';
import { webApi } from '@slack/bolt';
import { toSlackFailure } from '../../../src/platforms/slack/slack-sender.ts';
import { toTeamsFailure } from '../../../src/platforms/teams/teams-sender.ts';

const restError = (statusCode: number, retryAfter?: string) =>
  Object.assign(new Error(`status ${statusCode}`), { statusCode, response: { status: statusCode, headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) } } });
const platformError = (error: string) => Object.assign(new Error(`An API error occurred: ${error}`), { code: webApi.ErrorCode.PlatformError, data: { ok: false, error } });

describe('chat API failures → what the worker does', () => {
  it('Teams: 429 with Retry-After waits that long; 403/404 mean the conversation is gone; 5xx retries; other 4xx are permanent', () => {
    assert.deepEqual([toTeamsFailure(restError(429, '3')).kind, toTeamsFailure(restError(429, '3')).retryAfterMs], ['rate-limited', 3_000]);
    assert.equal(toTeamsFailure(restError(403)).kind, 'gone');
    assert.equal(toTeamsFailure(restError(404)).kind, 'gone');
    assert.equal(toTeamsFailure(restError(502)).kind, 'transient');
    assert.equal(toTeamsFailure(new Error('ECONNRESET')).kind, 'transient');
    assert.equal(toTeamsFailure(restError(400)).kind, 'permanent');
  });

  it('Slack: rate limits wait Retry-After; channel_not_found, is_archived and not_in_channel are gone; internal errors retry', () => {
    const limited = toSlackFailure(Object.assign(new Error('rate limited'), { code: webApi.ErrorCode.RateLimitedError, retryAfter: 2 }));
    assert.deepEqual([limited.kind, limited.retryAfterMs], ['rate-limited', 2_000]);
    for (const code of ['channel_not_found', 'is_archived', 'not_in_channel']) assert.equal(toSlackFailure(platformError(code)).kind, 'gone', code);
    assert.equal(toSlackFailure(platformError('internal_error')).kind, 'transient');
    assert.equal(toSlackFailure(platformError('invalid_blocks')).kind, 'permanent');
    assert.equal(toSlackFailure(Object.assign(new Error('timeout'), { code: webApi.ErrorCode.RequestError })).kind, 'transient');
  });
});
