import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import type { DomainEvent } from './core/events/partner-center-event.ts';
import type { CustomerLedger } from './core/customers/customer-ledger.ts';
import type { PartnerDirectory } from './core/events/directory.port.ts';
import { createFactLedger } from './core/events/facts.ts';
import { createEventRecorder, type EventRecorder } from './core/events/ingest-event.ts';
import { createReconciler } from './core/events/reconcile.ts';
import { createReconciliationLoop, type ReconciliationLoop } from './core/events/reconciliation-loop.ts';
import { createUnidentifiedRemovals } from './core/events/unidentified-removals.ts';
import type { SubscriptionDirectory } from './core/notifications/subscriptions.ts';
import type { Logger } from './logger.ts';
import type { BotStore } from './store/bot-store.ts';

export interface EventsSetup {
  recorder: EventRecorder;
  reconciliation: ReconciliationLoop;
}

/**
 * Where domain events come from and how they are stored: webhooks and the reconciliation poll both go
 * through one recorder (dedupe, facts already told, one outbox row per subscribed conversation).
 * `wakeWorker` is called when there is something to send.
 */
export function setUpEvents(deps: { config: Readonly<Config>; store: BotStore; directory: PartnerDirectory; subscriptions: SubscriptionDirectory; ledger: CustomerLedger; log: Logger; wakeWorker: () => void; onEvent?: (event: DomainEvent) => void }): EventsSetup {
  const unidentified = createUnidentifiedRemovals(deps.store);
  const recorder = createEventRecorder({
    events: deps.store.events,
    subscriptions: deps.subscriptions,
    facts: createFactLedger(deps.store),
    unidentified,
    ledger: deps.ledger,
    now: Date.now,
    onRecorded: deps.wakeWorker,
    onEvent: deps.onEvent,
    onBackgroundError: (error) => deps.log.warn({ err: error }, 'the customer ledger missed an entry (status and pending may lack it)'),
    // Called only after setup returns, when `reconciliation` exists.
    onUnidentifiedRemoval: () => reconciliation.identifySoon(),
  });
  const log = deps.log.child({ component: 'reconciliation' });
  const reconciliation = createReconciliationLoop({
    reconciler: createReconciler({ directory: deps.directory, store: deps.store, recorder, unidentified, clock: { now: Date.now }, log }),
    store: deps.store,
    unidentified,
    intervalMs: deps.config.POLL_INTERVAL_MINUTES * 60_000,
    owner: `reconciler-${randomUUID()}`,
    log,
  });
  return { recorder, reconciliation };
}
