/** The platform-neutral shapes that flow between the chat edges (Teams, Slack) and the core. */

export type Platform = 'teams' | 'slack';
export type Locale = 'en' | 'de';
export const LOCALES: readonly Locale[] = ['en', 'de'];

export type ConversationKind = 'personal' | 'group' | 'channel';

export interface ChatUser {
  /** Teams: the user's Entra object id (aadObjectId). Slack: the user id (U…). */
  id: string;
  name?: string;
  /** The user's own locale as the platform reports it (`de-DE`, `en-US`), if known. */
  locale?: string;
}

/** Where a message came from: enough to answer, to check allow-lists and to key per-conversation state. */
export interface ConversationAddress {
  platform: Platform;
  /** Teams: Entra tenant id. Slack: team (workspace) id. */
  tenantId: string;
  conversationId: string;
  kind: ConversationKind;
  /** True for Slack Connect shared channels and Teams chats with people outside the tenant. */
  external?: boolean;
}

export interface ChatEvent {
  address: ConversationAddress;
  user: ChatUser;
  /** The command text, with any @mention of the bot already removed. */
  text?: string;
  /** A card button click: the action's name and the data bound to it. */
  action?: { name: string; data: Record<string, unknown> };
  /**
   * Asks the platform, when a command needs to know, whether people from outside the partner's
   * organisation are in this conversation (Slack Connect, external or guest members in Teams).
   */
  isExternal?: () => Promise<boolean>;
}

/**
 * What the core answers: a card template name (a file in cards/) and the data to expand it with. The
 * render layer adds the localized strings; the platform edge decides how to send it.
 */
export interface Reply {
  template: string;
  locale: Locale;
  data: Record<string, unknown>;
  /** Only the person who asked needs to see it (Slack: ephemeral in channels). */
  private?: boolean;
  /** Replaces the card whose button was clicked instead of posting a new message. */
  updatesCard?: boolean;
}

/** A conversation is keyed the same way everywhere: `platform:tenant:conversation`. */
export function toConversationKey(address: Pick<ConversationAddress, 'platform' | 'tenantId' | 'conversationId'>): string {
  return `${address.platform}:${address.tenantId}:${address.conversationId}`;
}
