import type { Locale, Reply } from './chat.ts';

export interface ErrorDetails {
  /** Untrusted text to show as is (what the user typed, a name): rendered inert. */
  detail?: string;
  suggestions?: string[];
  correlationId?: string;
  params?: Record<string, string | number>;
}

/** A friendly error card; `code` selects the translated title and message (`errors.<code>`). */
export function errorReply(locale: Locale, code: string, details: ErrorDetails = {}): Reply {
  return { template: 'error', locale, data: { code, params: {}, ...details }, private: true };
}

/** What the bot says when it is added to a conversation. */
export function welcomeReply(locale: Locale): Reply {
  return { template: 'welcome', locale, data: {} };
}
