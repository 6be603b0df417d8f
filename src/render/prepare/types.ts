import type { Locale } from '../../core/chat.ts';
import type { Strings } from '../../i18n/index.ts';

export interface PrepareContext {
  /** The reply's (conversation's) locale and its strings, as the template sees them under `t`. */
  locale: Locale;
  t: Strings;
  /** Strings of another locale, for parts written in someone else's language (the customer's email). */
  stringsOf: (locale: Locale) => Strings;
}

/**
 * Computes template data that needs code (text assembled from strings and data, URLs) for one template.
 * `prepare` gets the reply data made inert, except `verbatimKeys`, which it must validate (never alter).
 */
export interface DataPreparer {
  /** Top-level data keys passed through untouched instead of made inert. */
  readonly verbatimKeys?: readonly string[];
  /** Inert caps above DEFAULT_MAX_INERT_LENGTH for the strings under these top-level data keys. */
  readonly maxLengths?: Readonly<Record<string, number>>;
  prepare(data: Record<string, unknown>, context: PrepareContext): Record<string, unknown>;
}
