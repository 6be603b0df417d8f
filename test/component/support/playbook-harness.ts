import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { createSlackDriver, createTeamsDriver, type ChatDriver } from './chat-driver.ts';
import { startBotUnderTest, type BotUnderTest } from './bot-under-test.ts';
import { webhookClient } from './webhook-client.ts';
import { createRefreshTokenStore } from '../../../src/integrations/partner-center/refresh-token.store.ts';
import type { PartnerCenterWebhookEvent } from '../../../src/simulator/webhooks/index.ts';

export const DAY_MS = 86_400_000;
export const SECURITY_GROUP = '11111111-2222-4333-8444-555555555555';
export const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
export const PLATFORMS = ['slack', 'teams'] as const;

/**
 * The real bot with the restoration playbook on a store file the test owns (so a second bot can take over
 * after a restart), a conversation on one platform subscribed to everything, and a sinon clock that moves
 * only Date: days pass with `later(days)` while sockets and the outbox worker keep real timers.
 */
export interface PlaybookHarness {
  readonly bot: BotUnderTest;
  readonly chat: ChatDriver;
  readonly clock: sinon.SinonFakeTimers;
  /** Moves the clock on and runs the playbook's hourly check, as the timer would. */
  later(days: number): Promise<void>;
  send(event: PartnerCenterWebhookEvent): Promise<number>;
  /** Stops the bot and starts a new one on the same store (the conversation's own platform fake is new too). */
  restart(): Promise<void>;
  /** Resolves when nothing new has been sent for `quietMs`. */
  quiet(quietMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPlaybookHarness(platform: (typeof PLATFORMS)[number], conversation = 'C0RESTORE'): Promise<PlaybookHarness> {
  const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'], shouldAdvanceTime: true });
  const folder = mkdtempSync(path.join(tmpdir(), 'playbook-'));
  const env = { POLL_INTERVAL_MINUTES: '0', GDAP_ACCESS_ASSIGNMENTS: `${SECURITY_GROUP}=${HELPDESK_ADMINISTRATOR}`, STORE_URL: `sqlite://${path.join(folder, 'bot.sqlite')}` };
  const start = () => startBotUnderTest(env, { deliveryTuning: { idleMs: 50, claimGapMs: 1 } });
  let bot: BotUnderTest;
  try {
    bot = await start();
  } catch (error) {
    clock.restore();
    throw error;
  }
  const chat = platform === 'slack' ? createSlackDriver(() => bot, conversation) : createTeamsDriver(() => bot);
  await chat.say('subscribe all');
  await chat.waitFor(/Subscriptions|subscri/i);
  return {
    get bot() {
      return bot;
    },
    chat,
    clock,
    async later(days) {
      clock.setSystemTime(Date.now() + days * DAY_MS);
      await bot.bot.remindNow();
    },
    send: (event) => webhookClient(bot)(event),
    async restart() {
      await bot.stop();
      bot = await start();
      // The new simulator is a new Entra too: the consent is given again (what `npm run consent` stores).
      await createRefreshTokenStore({ store: bot.bot.store, allowUnencrypted: true }).set(bot.bot.simulator!.controls.currentRefreshToken());
    },
    async quiet(quietMs = 1_000) {
      let seen = -1;
      while (chat.messages().length !== seen) {
        seen = chat.messages().length;
        await new Promise((resolve) => setTimeout(resolve, quietMs));
      }
    },
    async stop() {
      try {
        await bot.stop();
      } finally {
        clock.restore();
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
