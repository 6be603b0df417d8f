import { toActionsBlocks, toInputBlock, type ActionIds } from './block-kit-actions.ts';
import { asCardObject, isHidden, readEnum, readObjects, readString, typeOf, type CardObject } from './card-json.ts';
import { capLength } from './inert.ts';
import { toPlainText, toRichTextElements, withStyle, type RichTextElement, type RichTextStyle } from './markdown-subset.ts';

export type SlackBlock = Record<string, unknown>;
export interface SlackMessage {
  blocks: SlackBlock[];
  /** Notification and accessibility fallback; Slack parses it as mrkdwn, so `& < >` are escaped. */
  text: string;
}

const HEADER_MAX_CHARS = 150;
const FALLBACK_MAX_CHARS = 3_000;

interface Conversion {
  actionIds: ActionIds;
  firstTextBlock?: CardObject;
  /** The plain text of the first text element (TextBlock or RichTextBlock): the notification preview. */
  title?: string;
}

/**
 * Slack Block Kit for an EXPANDED Adaptive Card, for a fixed subset of elements. Text becomes rich_text
 * (Slack parses neither mrkdwn, mentions nor links inside rich_text text elements, so untrusted text is
 * inert) and labels become plain_text; no mrkdwn object is ever produced. Anything outside the subset
 * throws, naming the type, so a new template cannot silently lose content on Slack.
 */
export function toBlockKit(card: object): SlackMessage {
  const root = asCardObject(card, 'the card');
  if (typeOf(root) !== 'AdaptiveCard') throw new Error(`Expected an AdaptiveCard, got "${typeOf(root)}"`);
  const conversion: Conversion = { actionIds: new Map() };
  const blocks = toBlocks(readObjects(root, 'body'), conversion);
  blocks.push(...toActionsBlocks(readObjects(root, 'actions'), conversion.actionIds));
  return { blocks, text: escapeSlackText(capLength(conversion.title ?? '', FALLBACK_MAX_CHARS)) };
}

/** The blocks of a modal for an Action.ShowCard (its button carries `{ action: 'showCard', card: id }`). */
export function toSlackModalBlocks(showCard: object): SlackBlock[] {
  const action = asCardObject(showCard, 'the ShowCard action');
  if (typeOf(action, 'card action') !== 'Action.ShowCard') throw new Error(`Expected an Action.ShowCard, got "${typeOf(action)}"`);
  return toBlockKit(asCardObject(action.card, 'Action.ShowCard card')).blocks;
}

/** Slack's three mrkdwn control characters as entities, in the order that keeps `&` from doubling. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function toBlocks(elements: CardObject[], conversion: Conversion): SlackBlock[] {
  return elements.filter((element) => !isHidden(element)).flatMap((element) => toElementBlocks(element, conversion));
}

function toElementBlocks(element: CardObject, conversion: Conversion): SlackBlock[] {
  const type = typeOf(element);
  switch (type) {
    case 'TextBlock':
      return toTextBlocks(element, conversion);
    case 'RichTextBlock': {
      const inlines = readObjectsOrStrings(element, 'inlines').map(toInlineElement);
      conversion.title ??= inlines.map((inline) => ('text' in inline ? inline.text : '')).join('');
      return toRichTextBlock(inlines);
    }
    case 'FactSet':
      return toRichTextBlock(toFactElements(readObjects(element, 'facts')));
    case 'Container':
      return mergeRichText(toBlocks(readObjects(element, 'items'), conversion));
    case 'ColumnSet':
      return readObjects(element, 'columns').flatMap((column) => toColumnBlocks(column, conversion));
    case 'Image':
      return [toImageBlock(element)];
    case 'ActionSet':
      return toActionsBlocks(readObjects(element, 'actions'), conversion.actionIds);
    case 'Input.Text':
    case 'Input.ChoiceSet':
      return [toInputBlock(element)];
    default:
      throw new Error(`Unsupported card element type "${type}" for Slack`);
  }
}

function toTextBlocks(element: CardObject, conversion: Conversion): SlackBlock[] {
  const text = readString(element, 'text') ?? '';
  const isFirst = conversion.firstTextBlock === undefined;
  if (isFirst) conversion.firstTextBlock = element;
  conversion.title ??= toPlainText(text);
  const large = ['large', 'extralarge'].includes(readEnum(element, 'size') ?? '');
  if (isFirst && large) {
    const plain = toPlainText(text).trim();
    return plain ? [{ type: 'header', text: { type: 'plain_text', text: capLength(plain, HEADER_MAX_CHARS) } }] : [];
  }
  const bold = large || readEnum(element, 'weight') === 'bolder';
  const code = readEnum(element, 'fontType') === 'monospace';
  return toRichTextBlock(toRichTextElements(text, { ...(bold && { bold: true }), ...(code && { code: true }) }));
}

function toRichTextBlock(elements: RichTextElement[]): SlackBlock[] {
  const visible = elements.filter((element) => element.text !== '');
  if (visible.length === 0) return [];
  return [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: visible }] }];
}

/**
 * A Container is one visual unit (a help row: usage, description, aliases): its consecutive text blocks
 * become one rich_text block with line breaks, which keeps long lists well under Slack's 50 blocks.
 */
function mergeRichText(blocks: SlackBlock[]): SlackBlock[] {
  const merged: SlackBlock[] = [];
  for (const block of blocks) {
    const previous = merged[merged.length - 1];
    if (previous && isRichText(previous) && isRichText(block)) {
      merged[merged.length - 1] = toRichTextBlock([...sectionOf(previous), { type: 'text', text: '\n' }, ...sectionOf(block)])[0] ?? previous;
    } else {
      merged.push(block);
    }
  }
  return merged;
}

function isRichText(block: SlackBlock): boolean {
  return block.type === 'rich_text';
}

function sectionOf(block: SlackBlock): RichTextElement[] {
  const [section] = block.elements as { elements: RichTextElement[] }[];
  return section?.elements ?? [];
}

/** TextRuns are plain text by definition (Teams renders no Markdown there): styles come from properties only. */
function toInlineElement(inline: CardObject | string): RichTextElement {
  if (typeof inline === 'string') return { type: 'text', text: inline };
  const type = typeOf(inline, 'inline');
  if (type !== 'TextRun') throw new Error(`Unsupported inline type "${type}" for Slack`);
  const style: RichTextStyle = {};
  if (readEnum(inline, 'weight') === 'bolder') style.bold = true;
  if (inline.italic === true) style.italic = true;
  if (inline.strikethrough === true) style.strike = true;
  if (readEnum(inline, 'fontType') === 'monospace') style.code = true;
  const text = readString(inline, 'text') ?? '';
  return withStyle({ type: 'text', text }, Object.keys(style).length > 0 ? style : undefined);
}

function toFactElements(facts: CardObject[]): RichTextElement[] {
  return facts.flatMap((fact, index) => [
    ...(index > 0 ? [{ type: 'text' as const, text: '\n' }] : []),
    ...toRichTextElements(`${readString(fact, 'title') ?? ''}:`, { bold: true }),
    { type: 'text' as const, text: ' ' },
    ...toRichTextElements(readString(fact, 'value') ?? ''),
  ]);
}

function toColumnBlocks(column: CardObject, conversion: Conversion): SlackBlock[] {
  if (typeOf(column, 'column') !== 'Column') throw new Error(`Unsupported column type "${typeOf(column)}" for Slack`);
  return isHidden(column) ? [] : toBlocks(readObjects(column, 'items'), conversion);
}

function toImageBlock(element: CardObject): SlackBlock {
  const url = readString(element, 'url');
  if (!url || !/^https?:\/\//i.test(url)) throw new Error('A Slack image needs an http(s) "url"');
  return { type: 'image', image_url: url, alt_text: capLength(readString(element, 'altText') || 'image', 2_000) };
}

function readObjectsOrStrings(element: CardObject, key: string): (CardObject | string)[] {
  const value = element[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`Expected "${key}" to be an array`);
  return value.map((item: unknown, index) => (typeof item === 'string' ? item : asCardObject(item, `${key}[${index}]`)));
}
