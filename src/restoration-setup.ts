import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import { toConversationKey } from './core/chat.ts';
import type { ConversationSettingsStore } from './core/conversations/conversation-settings.ts';
import type { EventRecorder } from './core/events/ingest-event.ts';
import { parseAccessAssignments } from './core/restoration/access-assignments.ts';
import type { GdapAdmin } from './core/restoration/gdap.port.ts';
import { createPlaybook, type Playbook } from './core/restoration/playbook.ts';
import { restorationReply } from './core/restoration/restoration-reply.ts';
import { createRestorationStore } from './core/restoration/restoration-store.ts';
import type { Logger } from './logger.ts';
import type { BotStore } from './store/bot-store.ts';

const TICK_MS = 60 * 60_000;

export interface RestorationSetup {
  playbook: Playbook;
  /** The reply for a playbook note row (the outbox worker posts it). */
  noteFor: (payload: Record<string, unknown>) => ReturnType<typeof noteReply>;
  /** Reminders and expiry: now, then every hour. */
  start(): void;
  stop(): void;
}

/**
 * The restoration playbook wired to the store, GDAP and the outbox: its notes (reminders, expiry, access
 * restored) are stored as events with one outbox row for the playbook's conversation, keyed so that each
 * is said once, whichever replica or restart gets there.
 */
export function setUpRestoration(deps: {
  config: Readonly<Config>;
  store: BotStore;
  gdapAdmin: GdapAdmin;
  recorder: () => EventRecorder;
  settings: ConversationSettingsStore;
  wakeWorker: () => void;
  log: Logger;
}): RestorationSetup {
  const restorations = createRestorationStore(deps.store);
  const partnerName = deps.config.PARTNER_DISPLAY_NAME ?? '';
  const parsed = parseAccessAssignments(deps.config.GDAP_ACCESS_ASSIGNMENTS);
  const log = deps.log.child({ component: 'restoration' });
  const playbook = createPlaybook({
    restorations,
    gdap: deps.gdapAdmin,
    recorder: { record: (event, raw) => deps.recorder().record(event, raw) },
    notify: async (state, note, noteKey) => {
      const eventId = randomUUID();
      const recorded = await deps.store.events.recordEvent(
        { id: eventId, dedupeKey: `restoration-note:${state.customerId}:${noteKey}`, kind: 'restoration-note', body: { customerId: state.customerId, note }, receivedAt: Date.now() },
        [{ id: randomUUID(), eventId, conversationKey: toConversationKey(state.address), payload: { template: 'restoration-note', customerId: state.customerId, note } }],
      );
      if (recorded) deps.wakeWorker();
    },
    defaultRoles: deps.config.GDAP_DEFAULT_ROLES,
    defaultDuration: deps.config.GDAP_DEFAULT_DURATION,
    accessAssignments: parsed.ok ? parsed.plans : [],
    clock: { now: Date.now },
    log,
  });
  let timer: ReturnType<typeof setInterval> | undefined;
  const tick = () => void playbook.tick().catch((error: unknown) => log.error({ err: error }, 'restoration reminders failed; they run again in an hour'));
  return {
    playbook,
    noteFor: (payload) => noteReply(payload, restorations, deps.settings, deps.config.DEFAULT_LOCALE, partnerName),
    start() {
      tick();
      timer = setInterval(tick, TICK_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}

async function noteReply(payload: Record<string, unknown>, restorations: ReturnType<typeof createRestorationStore>, settings: ConversationSettingsStore, defaultLocale: Config['DEFAULT_LOCALE'], partnerName: string) {
  const state = typeof payload.customerId === 'string' ? await restorations.get(payload.customerId) : undefined;
  if (!state) return undefined;
  const locale = (await settings.get(state.address)).language ?? defaultLocale;
  return restorationReply(state, locale, { partnerName, canAct: true, note: typeof payload.note === 'string' ? payload.note : undefined });
}

