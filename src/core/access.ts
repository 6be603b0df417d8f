import type { ChatUser, ConversationAddress, Platform } from './chat.ts';

/**
 * Neither botbuilder nor Bolt checks which tenant or workspace a request comes from: the bot must. An
 * empty allow-list allows nobody.
 */
export function isTenantAllowed(address: ConversationAddress, allowed: readonly string[]): boolean {
  return allowed.some((id) => id.toLowerCase() === address.tenantId.toLowerCase());
}

/** `BOT_ADMINS` entries are `teams:<aadObjectId>` or `slack:<userId>`. */
export function isAdmin(platform: Platform, user: ChatUser, admins: readonly string[]): boolean {
  const wanted = `${platform}:${user.id}`.toLowerCase();
  return admins.some((entry) => entry.toLowerCase() === wanted);
}
