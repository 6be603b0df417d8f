import type { Locale } from './chat.ts';

/** Maps a platform locale (`de-DE`, `de_AT`, `en-GB`, `de`) to one the bot speaks, or undefined (`fr`, `deu`). */
export function toLocale(candidate: string | undefined): Locale | undefined {
  const match = /^(de|en)(?:[-_][a-z0-9-_]*)?$/i.exec(candidate?.trim() ?? '');
  return match?.[1]?.toLowerCase() as Locale | undefined;
}
