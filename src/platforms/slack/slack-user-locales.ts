import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.ts';

const TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 5000;

/**
 * A user's locale from `users.info` (include_locale), remembered for an hour so a command costs no extra
 * Slack call. Failures fall back to no locale (the conversation or default language applies).
 */
export function createSlackUserLocales(client: WebClient, log: Logger, now: () => number = Date.now) {
  const cache = new Map<string, { locale: string | undefined; expires: number }>();
  return async function localeOf(userId: string): Promise<string | undefined> {
    const hit = cache.get(userId);
    if (hit && hit.expires > now()) return hit.locale;
    let locale: string | undefined;
    try {
      const result = await client.users.info({ user: userId, include_locale: true });
      locale = result.user?.locale;
    } catch (error) {
      log.warn({ err: error, platform: 'slack' }, 'users.info failed; using the default language');
    }
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(userId, { locale, expires: now() + TTL_MS });
    return locale;
  };
}
