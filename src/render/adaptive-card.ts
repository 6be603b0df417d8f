// The package index also re-exports json-schema-card, whose .d.ts imports adaptivecards' TypeScript
// sources and breaks our type check; the engine module is all we use.
import { Template } from 'adaptivecards-templating/lib/template-engine.js';
import type { Reply } from '../core/chat.ts';
import { strings } from '../i18n/index.ts';
import { registerExpressionFunctions } from './expression-functions.ts';
import { toTemplateData } from './prepare/index.ts';
import { loadTemplate } from './templates.ts';

export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const ADAPTIVE_CARD_VERSION = '1.5';

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

// A Template parses its expressions once; expanding it again with other data is cheap.
const prepared = new Map<string, Template>();

/**
 * Expands `cards/<reply.template>.json` into the Adaptive Card 1.5 that Teams gets (and the Slack
 * converter reads). Templates see the reply data, made inert first so no template can forget it and then
 * completed by the template's prepare step (src/render/prepare), plus `t` (the strings of reply.locale)
 * and `locale`; those two are set last so data cannot shadow them.
 * Throws when the template does not exist or an expression in it fails.
 */
export function toAdaptiveCard(reply: Reply): AdaptiveCard {
  const template = prepareTemplate(reply.template);
  let data: Record<string, unknown>;
  try {
    data = toTemplateData(reply);
  } catch (error) {
    throw new Error(`Card template "${reply.template}" got unusable data: ${(error as Error).message}`, { cause: error });
  }
  const $root = { ...data, t: strings(reply.locale), locale: reply.locale };
  let expanded: unknown;
  try {
    expanded = template.expand({ $root });
  } catch (error) {
    // The templating engine's messages name the expression but not the card; add it.
    throw new Error(`Card template "${reply.template}" failed to expand: ${(error as Error).message}`, { cause: error });
  }
  return withCardHeader(expanded, reply.template);
}

function prepareTemplate(name: string): Template {
  let template = prepared.get(name);
  if (!template) {
    registerExpressionFunctions();
    template = new Template(loadTemplate(name));
    prepared.set(name, template);
  }
  return template;
}

function withCardHeader(expanded: unknown, name: string): AdaptiveCard {
  if (typeof expanded !== 'object' || expanded === null || Array.isArray(expanded)) {
    throw new Error(`Card template "${name}" did not expand to an object`);
  }
  const card = expanded as Record<string, unknown>;
  if (card.type !== 'AdaptiveCard') throw new Error(`Card template "${name}" is not an AdaptiveCard`);
  return { ...card, $schema: ADAPTIVE_CARD_SCHEMA, type: 'AdaptiveCard', version: ADAPTIVE_CARD_VERSION };
}
