import type { Locale } from './chat.ts';

/** Maps a platform locale (`de-DE`, `de_AT`, `en-GB`, `de`) to one the bot speaks, or undefined. */
export function toLocale(candidate: string | undefined): Locale | undefined {
  const language = candidate?.trim().toLowerCase().slice(0, 2);
  return language === 'de' || language === 'en' ? language : undefined;
}
