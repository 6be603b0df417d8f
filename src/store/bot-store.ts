/** The Store every backend returns: the key-value, claim and lease port plus the durable event intake and outbox. */
import type { EventStore, Outbox } from '../core/events/event-store.port.ts';
import type { Store } from '../core/ports.ts';

export interface BotStore extends Store {
  readonly events: EventStore;
  readonly outbox: Outbox;
}
