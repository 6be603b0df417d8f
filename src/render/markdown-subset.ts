/**
 * Our own strings (src/i18n) may use a small Markdown subset in TextBlocks: `**bold**`, `_italic_`,
 * `[text](https://url)` and backslash escapes. Teams renders it natively; for Slack we turn it into
 * rich_text elements, which Slack shows literally (no mrkdwn, no mentions, no auto-links).
 * Untrusted text never reaches this parser: templates keep it in TextRuns.
 */

export interface RichTextStyle {
  bold?: true;
  italic?: true;
  strike?: true;
  code?: true;
}

export type RichTextElement =
  | { type: 'text'; text: string; style?: RichTextStyle }
  | { type: 'link'; url: string; text: string; style?: RichTextStyle };

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'bold' | 'italic'; raw: string }
  | { kind: 'link'; text: string; url: string };

// Escaped ASCII punctuation | bold marker | italic marker not inside a word | link with an http(s) URL.
const TOKEN = /\\([!-/:-@[-`{-~])|(\*\*)|((?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}]))|\[((?:\\.|[^\]\\\n])*)\]\((https?:\/\/[^\s()]+)\)/gu;

/** Rich text elements for one of our Markdown strings; `base` styles the whole string (bolder, subtle…). */
export function toRichTextElements(markdown: string, base: RichTextStyle = {}): RichTextElement[] {
  const elements: RichTextElement[] = [];
  const active = { bold: false, italic: false };
  for (const token of tokenize(markdown)) {
    if (token.kind === 'text') appendText(elements, token.text, toStyle(base, active));
    else if (token.kind === 'link') elements.push(withStyle({ type: 'link', url: token.url, text: token.text }, toStyle(base, active)));
    else active[token.kind] = !active[token.kind];
  }
  return elements;
}

/** The same string without any markup, for plain_text fields (headers, fallbacks). */
export function toPlainText(markdown: string): string {
  return toRichTextElements(markdown).map((element) => element.text).join('');
}

function tokenize(markdown: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of markdown.matchAll(TOKEN)) {
    if (match.index > last) tokens.push({ kind: 'text', text: markdown.slice(last, match.index) });
    const [raw, escaped, bold, italic, linkText, url] = match;
    if (escaped !== undefined) tokens.push({ kind: 'text', text: escaped });
    else if (bold ?? italic) tokens.push({ kind: bold ? 'bold' : 'italic', raw });
    else tokens.push({ kind: 'link', text: unescape(linkText ?? ''), url: url ?? '' });
    last = match.index + raw.length;
  }
  if (last < markdown.length) tokens.push({ kind: 'text', text: markdown.slice(last) });
  return withUnpairedMarkersAsText(tokens);
}

/** A marker without a partner is shown as typed, as Teams does, instead of styling the rest of the text. */
function withUnpairedMarkersAsText(tokens: Token[]): Token[] {
  for (const kind of ['bold', 'italic'] as const) {
    const markers = tokens.filter((token) => token.kind === kind);
    const unpaired = markers.length % 2 === 1 ? markers[markers.length - 1] : undefined;
    if (unpaired && unpaired.kind === kind) tokens[tokens.indexOf(unpaired)] = { kind: 'text', text: unpaired.raw };
  }
  return tokens;
}

function appendText(elements: RichTextElement[], text: string, style: RichTextStyle | undefined): void {
  if (text === '') return;
  const previous = elements[elements.length - 1];
  if (previous?.type === 'text' && sameStyle(previous.style, style)) previous.text += text;
  else elements.push(withStyle({ type: 'text', text }, style));
}

function toStyle(base: RichTextStyle, active: { bold: boolean; italic: boolean }): RichTextStyle | undefined {
  const style: RichTextStyle = { ...base };
  if (active.bold) style.bold = true;
  if (active.italic) style.italic = true;
  return Object.keys(style).length > 0 ? style : undefined;
}

export function withStyle<T extends RichTextElement>(element: T, style: RichTextStyle | undefined): T {
  return style ? { ...element, style } : element;
}

function sameStyle(a: RichTextStyle | undefined, b: RichTextStyle | undefined): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}

function unescape(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
