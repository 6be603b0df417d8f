/**
 * Untrusted text (company names, domains, what a user typed) must not steer how a card looks or reads.
 * The templates keep it out of Markdown-rendering fields; this strips what is dangerous even in plain
 * text: bidi overrides/isolates that reorder what the reader sees (Trojan Source style), control
 * characters that break layouts or logs, lone surrogates that some clients reject, and excess length.
 */

// U+202A–U+202E embeddings/overrides, U+2066–U+2069 isolates, U+200E/U+200F marks, U+061C Arabic letter mark.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// C0 except \n, DEL, C1. \r goes too, so \r\n becomes \n.
const CONTROL_CHARACTERS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g; // eslint-disable-line no-control-regex
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ELLIPSIS = '…';

export const DEFAULT_MAX_INERT_LENGTH = 500;

/** A plain, display-safe string of at most `maxLength` code points (the ellipsis included). */
export function toInertText(value: unknown, maxLength = DEFAULT_MAX_INERT_LENGTH): string {
  const cleaned = stringify(value)
    .replace(LONE_SURROGATES, '\uFFFD')
    .replace(BIDI_CONTROLS, '')
    .replace(CONTROL_CHARACTERS, '');
  return capLength(cleaned, maxLength);
}

/** Applies toInertText to every string inside plain data (arrays and objects, deep); keys stay as they are. */
export function toInertData<T>(value: T, maxLength = DEFAULT_MAX_INERT_LENGTH): T {
  if (typeof value === 'string') return toInertText(value, maxLength) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => toInertData(item, maxLength)) as T;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([key, item]) => [key, toInertData(item, maxLength)]);
    return Object.fromEntries(entries) as T;
  }
  return value;
}

/** Cuts at a code point boundary so an emoji or other astral character is never split in half. */
export function capLength(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const codePoints = Array.from(text);
  if (codePoints.length <= maxLength) return text;
  if (maxLength <= 0) return '';
  return codePoints.slice(0, maxLength - 1).join('') + ELLIPSIS;
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
