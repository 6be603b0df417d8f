import type { Store } from '../ports.ts';
import type { StorySubject } from '../events/enrich-event.ts';

export interface TimelineEntry {
  /** The stored event this line came from: a notification delivered once shows up once. */
  eventId: string;
  kind: string;
  at: string;
  expiresInDays?: number;
}

/** One customer's card in one conversation: where it is, and what it has told so far. */
export interface Timeline {
  subject: Omit<StorySubject, 'storyKey'>;
  entries: TimelineEntry[];
  /** Teams activity id or Slack ts of the card, once posted. */
  messageRef?: string;
}

/** Enough for the card's history; older lines are dropped (the audit trail keeps everything). */
const MAX_ENTRIES = 25;
/** A card older than this is not updated any more: the next event starts a new card. */
const TIMELINE_TTL_MS = 180 * 24 * 60 * 60_000;

export interface TimelineStore {
  get(conversationKey: string, storyKey: string): Promise<Timeline | undefined>;
  save(conversationKey: string, storyKey: string, timeline: Timeline): Promise<void>;
  remove(conversationKey: string, storyKey: string): Promise<void>;
}

export function createTimelineStore(store: Store): TimelineStore {
  const timelines = store.namespace<Timeline>('timelines');
  const keyOf = (conversationKey: string, storyKey: string) => `${conversationKey}|${storyKey}`;
  return {
    get: (conversationKey, storyKey) => timelines.get(keyOf(conversationKey, storyKey)),
    save: (conversationKey, storyKey, timeline) => timelines.set(keyOf(conversationKey, storyKey), timeline, TIMELINE_TTL_MS),
    async remove(conversationKey, storyKey) {
      await timelines.delete(keyOf(conversationKey, storyKey));
    },
  };
}

/** The timeline with one more entry, in time order, keeping the newest MAX_ENTRIES. */
export function withEntry(timeline: Timeline | undefined, subject: StorySubject, entry: TimelineEntry): Timeline {
  const { storyKey: _storyKey, ...details } = subject;
  const entries = [...(timeline?.entries ?? []), entry].sort((a, b) => a.at.localeCompare(b.at)).slice(-MAX_ENTRIES);
  // What we learn now (a name, a relationship) wins over what the card knew, but never erases it.
  const merged = { ...timeline?.subject, ...definedOnly(details) };
  if (!details.identifying) delete merged.identifying;
  return { ...timeline, subject: merged, entries };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
