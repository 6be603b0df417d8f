import { createInstance } from 'i18next';
import type { Locale } from '../core/chat.ts';
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

/** The shape of every locale file; en.json is the reference, and de.json must type-check against it. */
export type Strings = typeof en;

const RESOURCES: Readonly<Record<Locale, Strings>> = { en: deepFreeze(en), de: deepFreeze(de) };

/*
 * i18next rather than a hand-written lookup: plain-text messages (notification fallbacks, reminders) will
 * need plural forms (`key_one` / `key_other`, chosen with Intl.PluralRules per language) and a fallback to
 * English for a key a translation lacks. Its own instance, so nothing else can change the global one.
 * Placeholders are `{name}` like everywhere else in our strings; nothing is HTML-escaped here, because the
 * caller decides how its medium needs escaping.
 */
const i18n = createInstance();
void i18n.init({
  initAsync: false,
  resources: { en: { translation: RESOURCES.en }, de: { translation: RESOURCES.de } },
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false, prefix: '{', suffix: '}' },
  returnNull: false,
});

/** The nested strings of one locale, as templates see them under `t` (`${t.help.title}`). Read-only. */
export function strings(locale: Locale): Strings {
  return RESOURCES[locale];
}

/**
 * One string as plain text: `translate('de', 'errors.COMMAND.UNKNOWN.title')`. Error codes contain dots
 * and are keys of their own (`errors["COMMAND.UNKNOWN"]`); i18next resolves such keys. Returns the key
 * itself when neither the locale nor English has it.
 */
export function translate(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  return String(i18n.t(key, { ...params, lng: locale }));
}

/** `de`, `de-DE`, `de_AT`, `DE-ch` → `de`; `en`, `en-US`, … → `en`; anything else → undefined. */
/** One rule for the whole bot: the core's. */
export { toLocale as resolveLocale } from '../core/locale.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
