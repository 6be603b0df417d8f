import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConversationAddress } from '../../src/core/chat.ts';
import { toConversationKey } from '../../src/core/chat.ts';
import type { BotStore } from '../../src/store/bot-store.ts';
import { createStore } from '../../src/store/create-store.ts';
import { createFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { DEFAULT_IDENTITY } from '../fakes/slack-api-methods.ts';
import { startNpm, type BotProcess } from './support/bot-process.ts';

// Four per channel: a fifth would fold the backlog into one digest, and there would be no drain to interrupt.
const CHANNELS = Array.from({ length: 10 }, (_, index) => `C0KILL${index}`);
const EVENTS = 4;
const TEAM = DEFAULT_IDENTITY.team_id;

/**
 * A backlog of notifications in the store, `npm start` draining it at Slack's pace (1 per second per
 * channel), `kill -9` half way, and a second `npm start` on the same store: every card arrives, and at most
 * the one that was in flight in each channel arrives twice.
 */
describe('e2e: kill -9 in the middle of a drain', function () {
  this.timeout(120_000);
  let folder: string;
  let storeUrl: string;
  let slack: FakeSlackApi;
  let bot: BotProcess | undefined;

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'kill-drain-'));
    storeUrl = `sqlite://${path.join(folder, 'bot.sqlite')}`;
    slack = createFakeSlackApi();
    await slack.start();
    const store = await createStore(storeUrl);
    try {
      await seedBacklog(store);
    } finally {
      await store.close();
    }
  });
  after(async () => {
    await bot?.stop('SIGKILL');
    await slack.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const env = () => ({
    PORT: '0',
    STORE_URL: storeUrl,
    POLL_INTERVAL_MINUTES: '0',
    SLACK_BOT_TOKEN: 'xoxb-kill-test',
    SLACK_SIGNING_SECRET: 'kill-test-signing-secret-0123456789',
    SLACK_API_URL: slack.apiUrl,
    SLACK_ALLOWED_TEAMS: TEAM,
    LOG_LEVEL: 'warn',
  });
  const delivered = () => slack.callsOf('chat.postMessage').filter((call) => call.status === 200);

  it('delivers every notification after a restart, none twice except what was in flight', async () => {
    bot = await startNpm(env(), 60_000);
    await waitUntil(() => delivered().length >= CHANNELS.length, 30_000);
    await bot.stop('SIGKILL');
    const beforeKill = delivered().length;
    assert.ok(beforeKill < CHANNELS.length * EVENTS, `killed mid-drain (${beforeKill} of ${CHANNELS.length * EVENTS} sent)`);

    bot = await startNpm(env(), 60_000);
    await waitUntil(async () => (await outboxCounts(storeUrl)).pending + (await outboxCounts(storeUrl)).sending === 0, 90_000);
    await bot.stop('SIGTERM');

    for (const channel of CHANNELS) {
      const cards = delivered().filter((call) => call.args.channel === channel).map((call) => JSON.stringify(call.args.blocks));
      for (let index = 0; index < EVENTS; index++) {
        const copies = cards.filter((blocks) => blocks.includes(`Kill Test Customer ${index} `)).length;
        assert.ok(copies >= 1, `${channel}: customer ${index} never arrived`);
      }
      assert.ok(cards.length <= EVENTS + 1, `${channel}: ${cards.length - EVENTS} duplicates (at most the one in flight)`);
    }
    const counts = await outboxCounts(storeUrl);
    assert.equal(counts.dead, 0);
    assert.equal(counts.done, CHANNELS.length * EVENTS);
  });
});

/** Conversation references and subscribed-channel notifications as the bot itself would have stored them. */
async function seedBacklog(store: BotStore): Promise<void> {
  const references = store.namespace('conversation-references');
  const addresses: ConversationAddress[] = CHANNELS.map((channel) => ({ platform: 'slack', tenantId: TEAM, conversationId: channel, kind: 'channel' }));
  for (const address of addresses) {
    await references.set(toConversationKey(address), { address, reference: { teamId: TEAM, channelId: address.conversationId }, updatedAt: new Date().toISOString() });
  }
  const now = Date.now();
  for (let index = 0; index < EVENTS; index++) {
    const eventId = `kill-event-${index}`;
    const customer = { id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, name: `Kill Test Customer ${index} `, domain: `kill-${index}.example` };
    const event = { kind: 'accepted', notification: 'accepted', eventName: 'reseller-relationship-accepted-by-customer', dedupeKey: eventId, customerId: customer.id, customer, changedAt: new Date(now + index).toISOString() };
    await store.events.recordEvent(
      { id: eventId, dedupeKey: eventId, kind: 'accepted', body: event, receivedAt: now + index },
      addresses.map((address, slot) => ({ id: `${eventId}-${slot}`, eventId, conversationKey: toConversationKey(address), payload: { template: 'customer-timeline', event, address } })),
    );
  }
}

async function outboxCounts(storeUrl: string) {
  const store = await createStore(storeUrl);
  try {
    return await store.outbox.counts();
  } finally {
    await store.close();
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
