import type { ChatEvent, Locale, Reply } from '../chat.ts';

export interface ActionContext {
  event: ChatEvent;
  locale: Locale;
  isAdmin: boolean;
  /** The data bound to the clicked button, plus any input values the card carried. */
  data: Record<string, unknown>;
}

/** A card button's server side. Rights are checked here, at click time: anyone who sees a card can click it. */
export type ActionHandler = (context: ActionContext) => Promise<Reply | undefined>;
