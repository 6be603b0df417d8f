import { setMaxListeners } from 'node:events';
import type { OutboxRow, Outbox } from '../events/event-store.port.ts';
import type { Clock, Logger } from '../ports.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import { toDeliveryFailure, type DeliveryFailure } from './chat-sender.port.ts';

export type DeliveryOutcome = 'delivered' | 'retry' | 'rate-limited' | 'dead' | 'gone' | 'lost-claim';

export interface NotificationWorkerOptions {
  outbox: Outbox;
  /**
   * Sends one notification; throws a DeliveryFailure (anything else counts as transient). It may call
   * `takeBurst` (once its conversation's turn has come) to claim what piled up meanwhile and send it all
   * as one digest; every row taken is settled with the first.
   */
  deliver: (row: OutboxRow, signal: AbortSignal, takeBurst: () => Promise<OutboxRow[]>) => Promise<void>;
  /** A conversation with at least `minimum` due rows gets them folded, up to `max` per digest. */
  digest?: { minimum: number; max: number };
  /** The conversation is gone for good: end its subscription, forget its reference. */
  onGone: (conversationKey: string, reason: string) => Promise<void>;
  onOutcome?: (outcome: DeliveryOutcome, row: OutboxRow) => void;
  /** Unique per process: the claim owner (fencing: a row taken over by another replica is not completed here). */
  owner: string;
  clock: Clock;
  log: Logger;
  /** Notifications being worked on at once (most of them wait for their conversation's pacing). */
  maxInFlight?: number;
  /** How long a claim lasts (default 30 s); a crashed replica's rows become due again after it. Longer than a pacing wait plus one send. */
  claimMs?: number;
  /** How often to look for due rows when nothing woke the worker. */
  idleMs?: number;
  /** Pause between two claim queries, so finishing rows do not each cost a query. */
  claimGapMs?: number;
  /**
   * After a claim that found nothing (every conversation with due rows is busy or paced), new rows wait
   * this long for the next claim: under a flood of events the claim query runs ten times a second, not
   * once per event.
   */
  emptyClaimGapMs?: number;
  /** After this long since the event, a failing notification is given up (`dead`). */
  retryBudgetMs?: number;
  backoff?: BackoffOptions;
}

export interface NotificationWorker {
  start(): void;
  /** New rows were recorded: look now instead of at the next idle tick. */
  wake(): void;
  /** Stops claiming, aborts pacing waits (their rows become due again at once) and waits for sends in flight. */
  stop(): Promise<void>;
}

const DEFAULTS = { maxInFlight: 2_000, claimMs: 30_000, idleMs: 500, claimGapMs: 20, emptyClaimGapMs: 100, retryBudgetMs: 24 * 60 * 60_000 };

/**
 * Drains the outbox: claims due rows (the store hands out at most one per conversation, so one send is
 * in flight per conversation across all replicas), delivers each, and settles it: done, retry later
 * (backoff, or the conversation's Retry-After, which holds back that conversation only), or dead.
 */
export function createNotificationWorker(options: NotificationWorkerOptions): NotificationWorker {
  const settings = { ...DEFAULTS, ...options };
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const { outbox, owner, clock, log } = options;
  const inFlight = new Set<Promise<void>>();
  const aborts = new AbortController();
  // Every pacing wait listens on this one signal: thousands at once are expected, not a leak.
  setMaxListeners(0, aborts.signal);
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  function wake(): void {
    woken = true;
    wakeUp?.();
  }

  function waitForWake(ms: number): Promise<void> {
    if (woken) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function settle(row: OutboxRow, failure: DeliveryFailure): Promise<DeliveryOutcome> {
    const now = clock.now();
    const error = failure.message.slice(0, 500);
    if (failure.kind === 'rate-limited') {
      const until = now + Math.max(failure.retryAfterMs ?? 1_000, 0);
      await outbox.deferConversation(row.conversationKey, until);
      return (await outbox.retryLater(row.id, owner, until, error)) ? 'rate-limited' : 'lost-claim';
    }
    if (failure.kind === 'gone') {
      const marked = await outbox.markDead(row.id, owner, `conversation gone: ${error}`);
      const dropped = await outbox.dropConversation(row.conversationKey, `conversation gone: ${error}`);
      log.warn({ conversationKey: row.conversationKey, reason: error, dropped }, 'conversation is gone: subscription ended, its notifications dropped');
      await options.onGone(row.conversationKey, error);
      return marked ? 'gone' : 'lost-claim';
    }
    const outOfBudget = now - row.createdAt >= settings.retryBudgetMs;
    if (failure.kind === 'permanent' || outOfBudget) {
      log.error({ notificationId: row.id, conversationKey: row.conversationKey, attempts: row.attempts, error, kind: failure.kind }, 'notification given up: it is dead until replayed');
      return (await outbox.markDead(row.id, owner, error)) ? 'dead' : 'lost-claim';
    }
    const notBefore = now + backoffDelay(row.attempts, backoff);
    log.debug({ notificationId: row.id, attempts: row.attempts, notBefore, error }, 'notification will be retried');
    return (await outbox.retryLater(row.id, owner, notBefore, error)) ? 'retry' : 'lost-claim';
  }

  /** The other due rows of the row's conversation when there are enough to fold into a digest. */
  async function burstOf(row: OutboxRow): Promise<OutboxRow[]> {
    if (!options.digest) return [];
    const { minimum, max } = options.digest;
    return outbox.claimMore(row.conversationKey, owner, clock.now(), minimum - 1, max - 1, settings.claimMs).catch(() => []);
  }

  async function work(row: OutboxRow): Promise<void> {
    const rows = [row];
    const takeBurst = async (): Promise<OutboxRow[]> => {
      const more = await burstOf(row);
      rows.push(...more);
      return more;
    };
    try {
      await options.deliver(row, aborts.signal, takeBurst);
    } catch (error) {
      if (aborts.signal.aborted) {
        // Shutting down mid-wait: hand the rows back so the next owner need not wait for the claim to expire.
        await Promise.all(rows.map((each) => outbox.retryLater(each.id, owner, clock.now(), 'interrupted by shutdown').catch(() => undefined)));
        return;
      }
      const failure = toDeliveryFailure(error);
      for (const each of rows) report(await settle(each, failure).catch((settleError: unknown) => unsettled(each, settleError)), each);
      return;
    }
    if (rows.length > 1) log.info({ conversationKey: row.conversationKey, folded: rows.length }, 'a burst of notifications went out as one digest');
    for (const each of rows) report(await outbox.complete(each.id, owner).then((done) => (done ? 'delivered' : 'lost-claim')).catch((error: unknown) => unsettled(each, error)), each);
  }

  /** The claim expires on its own and the row becomes due again; the timeline keeps it from being sent twice. */
  function unsettled(row: OutboxRow, error: unknown): DeliveryOutcome {
    log.error({ err: error, notificationId: row.id }, 'could not record the outcome of a notification');
    return 'lost-claim';
  }

  function report(outcome: DeliveryOutcome, row: OutboxRow): void {
    if (outcome === 'lost-claim') log.warn({ notificationId: row.id }, 'the claim on a notification expired before it was settled');
    options.onOutcome?.(outcome, row);
  }

  function track(row: OutboxRow): void {
    const task = work(row).finally(() => {
      inFlight.delete(task);
      wake();
    });
    inFlight.add(task);
  }

  async function claimOnce(): Promise<number> {
    const free = settings.maxInFlight - inFlight.size;
    if (free <= 0) return 0;
    try {
      const rows = await outbox.claimDue(owner, clock.now(), free, settings.claimMs);
      for (const row of rows) track(row);
      return rows.length;
    } catch (error) {
      log.error({ err: error }, 'could not claim notifications; trying again shortly');
      return 0;
    }
  }

  async function run(): Promise<void> {
    while (running) {
      woken = false;
      const claimed = await claimOnce();
      if (!running) break;
      await waitForWake(settings.idleMs);
      if (woken) await new Promise((resolve) => setTimeout(resolve, claimed > 0 ? settings.claimGapMs : Math.max(settings.claimGapMs, settings.emptyClaimGapMs)));
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake,
    async stop() {
      running = false;
      wake();
      aborts.abort();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}
