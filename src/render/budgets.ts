import type { SlackMessage } from './block-kit.ts';

/** Teams refuses activities over about 28 KB, counted as UTF-16. */
export const TEAMS_MAX_PAYLOAD_BYTES = 28_000;
export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_FIELD_CHARS = 3_000;
export const SLACK_MAX_TOTAL_CHARS = 12_000;

/** The card's size as Teams counts it: the JSON in UTF-16, so every ASCII character weighs two bytes. */
export function teamsPayloadBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf16le');
}

export function assertTeamsWithinBudgets(card: object): void {
  const bytes = teamsPayloadBytes(card);
  if (bytes > TEAMS_MAX_PAYLOAD_BYTES) {
    throw new Error(`Teams card is ${bytes} bytes (UTF-16), over the ${TEAMS_MAX_PAYLOAD_BYTES}-byte budget: split it or shorten lists`);
  }
}

/**
 * Every text a Slack message shows: the `text` of text objects and rich text elements, labels and
 * button texts (all stored under a `text` key), plus the message's fallback text.
 */
export function collectSlackTexts(message: SlackMessage): string[] {
  const texts = [message.text];
  collectTextValues(message.blocks, texts);
  return texts;
}

export function assertSlackWithinBudgets(message: SlackMessage): void {
  if (message.blocks.length > SLACK_MAX_BLOCKS) {
    throw new Error(`Slack message has ${message.blocks.length} blocks, over the limit of ${SLACK_MAX_BLOCKS}`);
  }
  const texts = collectSlackTexts(message);
  const longest = texts.reduce((max, text) => Math.max(max, text.length), 0);
  if (longest > SLACK_MAX_FIELD_CHARS) {
    throw new Error(`A Slack text field has ${longest} characters, over the limit of ${SLACK_MAX_FIELD_CHARS}`);
  }
  const total = texts.reduce((sum, text) => sum + text.length, 0);
  if (total > SLACK_MAX_TOTAL_CHARS) {
    throw new Error(`Slack message has ${total} characters of text, over the budget of ${SLACK_MAX_TOTAL_CHARS}`);
  }
}

function collectTextValues(node: unknown, into: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectTextValues(item, into);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'text' && typeof value === 'string') into.push(value);
      else collectTextValues(value, into);
    }
  }
}
