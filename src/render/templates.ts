import { readdirSync, readFileSync } from 'node:fs';

/** Resolved from this file, not the working directory, so the bot, tests and scripts all find the cards. */
const CARDS_DIRECTORY = new URL('../../cards/', import.meta.url);
// Template names become file names: keep them to a plain word so nothing can escape the cards folder.
const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]*$/;

const cache = new Map<string, Readonly<Record<string, unknown>>>();

/** The parsed `cards/<name>.json`, read from disk once. Throws when there is no such template. */
export function loadTemplate(name: string): Readonly<Record<string, unknown>> {
  const cached = cache.get(name);
  if (cached) return cached;
  const template = readTemplate(name);
  cache.set(name, template);
  return template;
}

/** Every template name in cards/ (for tests and tools). */
export function listTemplates(): string[] {
  return readdirSync(CARDS_DIRECTORY)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function readTemplate(name: string): Readonly<Record<string, unknown>> {
  if (!TEMPLATE_NAME.test(name)) throw new Error(`Invalid card template name "${name}"`);
  let text: string;
  try {
    text = readFileSync(new URL(`${name}.json`, CARDS_DIRECTORY), 'utf8');
  } catch (error) {
    throw new Error(`Unknown card template "${name}" (no cards/${name}.json)`, { cause: error });
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`cards/${name}.json is not a JSON object`);
  }
  return Object.freeze(parsed as Record<string, unknown>);
}
