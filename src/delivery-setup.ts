import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Gauge } from 'prom-client';
import type { Config } from './config.ts';
import type { Platform, Reply } from './core/chat.ts';
import type { ConversationSettingsStore } from './core/conversations/conversation-settings.ts';
import { DeliveryFailure, type ChatSender } from './core/delivery/chat-sender.port.ts';
import { createTimelineDelivery } from './core/delivery/deliver-notification.ts';
import { createNotificationWorker, type NotificationWorker, type NotificationWorkerOptions } from './core/delivery/notification-worker.ts';
import { Pacer, type PacingLimits } from './core/delivery/pacer.ts';
import { createTimelineStore } from './core/delivery/timelines.ts';
import { createEnricher, type EnrichmentReader } from './core/events/enrich-event.ts';
import type { SubscriptionDirectory } from './core/notifications/subscriptions.ts';
import type { Metrics } from './http/metrics.ts';
import type { Logger } from './logger.ts';
import type { ConversationReferences } from './platforms/conversation-references.ts';
import type { BotStore } from './store/bot-store.ts';

/** Test and benchmark knobs: faster polling, other limits. Production uses the defaults. */
export interface DeliveryTuning extends Partial<Pick<NotificationWorkerOptions, 'idleMs' | 'claimMs' | 'claimGapMs' | 'retryBudgetMs' | 'backoff' | 'maxInFlight'>> {
  limits?: PacingLimits;
  /** `false` sends every notification as its own card (benchmarks counting cards). */
  digest?: NotificationWorkerOptions['digest'] | false;
}

/** Five or more notifications waiting for one conversation go out as one digest of up to twenty. */
const DIGEST = { minimum: 5, max: 20 };

export interface DeliverySetupDependencies {
  config: Readonly<Config>;
  store: BotStore;
  senders: Partial<Record<Platform, ChatSender>>;
  directory: EnrichmentReader;
  settings: ConversationSettingsStore;
  subscriptions: SubscriptionDirectory;
  references: ConversationReferences;
  metrics: Metrics;
  log: Logger;
  tuning?: DeliveryTuning;
  /** The restoration playbook's notes (reminders, expiry, access restored). */
  noteFor?: (payload: Record<string, unknown>) => Promise<Reply | undefined>;
}

/** The outbox worker with everything it needs: one per process, started after the server listens. */
export function setUpDelivery(deps: DeliverySetupDependencies): NotificationWorker {
  const log = deps.log.child({ component: 'notifications' });
  const clock = { now: Date.now };
  const delivered = new Counter({
    name: 'notifications_total',
    help: 'Notification delivery attempts, by platform and outcome (delivered, retry, rate-limited, dead, gone, lost-claim)',
    labelNames: ['platform', 'outcome'],
    registers: [deps.metrics.registry],
  });
  registerOutboxGauge(deps);
  const claimMs = deps.tuning?.claimMs ?? deps.config.OUTBOX_CLAIM_SECONDS * 1000;
  const pacer = new Pacer(deps.tuning?.limits);
  const deliver = createTimelineDelivery({
    sender: routeByPlatform(deps.senders),
    timelines: createTimelineStore(deps.store),
    enricher: createEnricher(deps.directory, clock, log),
    settings: deps.settings,
    pacer,
    clock,
    defaultLocale: deps.config.DEFAULT_LOCALE,
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
    noteFor: deps.noteFor,
    // A pacing wait holds the claim: with a short claim (OUTBOX_CLAIM_SECONDS) a long wait gives the row back instead.
    maxPacingWaitMs: Math.min(5_000, claimMs / 3),
  });
  const worker = createNotificationWorker({
    ...deps.tuning,
    claimMs,
    outbox: deps.store.outbox,
    deliver: async (row, signal, takeBurst) => {
      await deliver(row, signal, takeBurst);
      await shareTurn(row.conversationKey);
    },
    digest: deps.tuning?.digest === undefined ? DIGEST : deps.tuning.digest || undefined,
    owner: `worker-${randomUUID()}`,
    clock,
    log,
    onOutcome: (outcome, row) => delivered.inc({ platform: row.conversationKey.split(':')[0] ?? 'unknown', outcome }),
    onGone: async (conversationKey) => {
      const stored = await deps.references.get(conversationKey);
      const address = stored?.address ?? (await deps.subscriptions.getByKey(conversationKey))?.address;
      if (!address) return;
      await deps.subscriptions.save(address, [], 'system: conversation gone');
      await deps.references.forget(address);
    },
  });

  /**
   * The pacer only knows this replica's sends, and the conversation's next row may be claimed by another
   * replica: when the next call must wait (Slack: a second), the conversation is paused in the store for
   * that long, so no replica claims it earlier. This replica looks again when the pause ends.
   */
  async function shareTurn(conversationKey: string): Promise<void> {
    const now = clock.now();
    const delay = pacer.delayFor(conversationKey, now);
    if (delay <= 0) return;
    try {
      await deps.store.outbox.deferConversation(conversationKey, now + delay);
    } catch (error) {
      log.warn({ err: error, conversationKey }, 'could not share the conversation\'s pacing with other replicas');
    }
    setTimeout(() => worker.wake(), delay).unref();
  }
  return worker;
}

function routeByPlatform(senders: Partial<Record<Platform, ChatSender>>): ChatSender {
  const senderFor = (key: string): ChatSender => {
    const platform = key.split(':')[0] as Platform;
    const sender = Object.hasOwn(senders, platform) ? senders[platform] : undefined;
    if (!sender) throw new DeliveryFailure('permanent', `${platform} is not configured on this bot`);
    return sender;
  };
  return {
    post: async (key, reply) => senderFor(key).post(key, reply),
    update: async (key, ref, reply) => senderFor(key).update(key, ref, reply),
    postFollowUp: async (key, ref, reply) => senderFor(key).postFollowUp(key, ref, reply),
  };
}

/** Rows per state, read from the store when Prometheus scrapes: `dead` is what operators alert on. */
function registerOutboxGauge(deps: DeliverySetupDependencies): void {
  const store = deps.store;
  new Gauge({
    name: 'outbox_notifications',
    help: 'Notifications in the outbox, by state (pending, sending, done, dead)',
    labelNames: ['state'],
    registers: [deps.metrics.registry],
    async collect() {
      try {
        const counts = await store.outbox.counts();
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      } catch {
        // The store is down: /readyz says so; the scrape still answers.
      }
    },
  });
}
