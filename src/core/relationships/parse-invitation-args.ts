import type { Locale } from '../chat.ts';

export interface InvitationArgs {
  indirect: boolean;
  /** The provider as typed (name or id), when `indirect` is given. */
  provider?: string;
  customerLocale?: Locale;
}

export type ParsedInvitationArgs = { ok: true; args: InvitationArgs } | { ok: false; problem: string };

const LANGUAGE_WORDS = new Set(['lang', 'language', 'sprache']);
const INDIRECT_WORDS = new Set(['indirect', 'indirekt']);

/** `[indirect <provider name or id>] [lang de|en]`, in either order. */
export function parseInvitationArgs(words: readonly string[]): ParsedInvitationArgs {
  const args: InvitationArgs = { indirect: false };
  const provider: string[] = [];
  let collectingProvider = false;
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    const lower = word.toLowerCase();
    if (LANGUAGE_WORDS.has(lower)) {
      const value = (words[index + 1] ?? '').toLowerCase();
      if (value !== 'de' && value !== 'en') return { ok: false, problem: `${word} ${words[index + 1] ?? ''}`.trim() };
      args.customerLocale = value;
      collectingProvider = false;
      index++;
    } else if (INDIRECT_WORDS.has(lower) && !args.indirect) {
      args.indirect = true;
      collectingProvider = true;
    } else if (collectingProvider) {
      provider.push(word);
    } else {
      return { ok: false, problem: word };
    }
  }
  if (args.indirect) args.provider = provider.join(' ') || undefined;
  return { ok: true, args };
}
