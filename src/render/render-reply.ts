import type { Reply } from '../core/chat.ts';
import { toAdaptiveCard, type AdaptiveCard } from './adaptive-card.ts';
import { toBlockKit, type SlackMessage } from './block-kit.ts';
import { assertSlackWithinBudgets, assertTeamsWithinBudgets } from './budgets.ts';

/** What the Teams sender posts: the expanded card, checked against Teams' size limit. */
export function renderForTeams(reply: Reply): AdaptiveCard {
  const card = toAdaptiveCard(reply);
  assertTeamsWithinBudgets(card);
  return card;
}

/** What the Slack sender posts: Block Kit made from the same expanded card, checked against Slack's limits. */
export function renderForSlack(reply: Reply): SlackMessage {
  const message = toBlockKit(toAdaptiveCard(reply));
  assertSlackWithinBudgets(message);
  return message;
}
