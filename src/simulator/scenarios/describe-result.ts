/** One line for a person at the command line: who, which event, and what the bot answered. */
import type { ScenarioResult } from './scenario-types.ts';

export function describeScenarioResult(result: ScenarioResult): string {
  const who = `${result.customer.companyName}${result.customer.domain ? ` (${result.customer.domain})` : ''}`;
  const relationship = result.relationshipId ? `, GDAP relationship ${result.relationshipId}` : '';
  const delivery = result.delivery.status !== undefined ? `the bot answered HTTP ${result.delivery.status}` : `not delivered: ${result.delivery.reason ?? 'unknown reason'}`;
  return `${result.scenario}: ${who}${relationship} — sent ${result.event.EventName}, ${delivery}`;
}
