import { createRequire } from 'node:module';
import type * as AdaptiveCards from 'adaptivecards';

/*
 * The package `main` (lib/, ES modules without extensions) fails to load under plain node; the UMD
 * bundle loads fine. It needs no DOM shim for what we do: parse() and validateProperties() only build the
 * object model; `document` is touched by render(), which we never call.
 */
const adaptiveCards = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

/**
 * Every problem the official parser reports for a card: parse events (unknown types, bad values) and
 * property validation (duplicate input ids, missing required properties). Neither throws, so both are read.
 */
export function findCardProblems(json: object): string[] {
  const card = new adaptiveCards.AdaptiveCard();
  const context = new adaptiveCards.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index++) {
    problems.push(`parse: ${context.getEventAt(index).message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    problems.push(`validate: ${event.message}`);
  }
  return problems;
}
