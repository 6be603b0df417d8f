/**
 * Scenarios for `npm run simulate` and tests: each changes the simulator's state the way the real event
 * would (a new customer, DAP gone, a GDAP relationship active or ended), then delivers the matching signed
 * webhook to the registered URL and reports what happened.
 */
import type { Deliver } from '../webhooks/webhook-delivery.ts';
import { acceptInvitation, removeDelegatedAdmin } from './customer-scenarios.ts';
import { approveGdap, expireGdap, terminateGdap } from './gdap-scenarios.ts';
import { isScenarioName, SCENARIO_NAMES, ScenarioError, type ScenarioContext, type ScenarioName, type ScenarioOutcome, type ScenarioResult } from './scenario-types.ts';

export { SCENARIO_NAMES, ScenarioError, isScenarioName, type ScenarioName, type ScenarioResult } from './scenario-types.ts';

export type RunScenario = (name: string, customer?: string) => Promise<ScenarioResult>;

const SCENARIOS: Record<ScenarioName, (context: ScenarioContext, query: string | undefined) => ScenarioOutcome> = {
  accept: (context, query) => acceptInvitation(context, query, false),
  'accept-indirect': (context, query) => acceptInvitation(context, query, true),
  'remove-admin': (context, query) => removeDelegatedAdmin(context, query, false),
  'remove-admin-by-microsoft': (context, query) => removeDelegatedAdmin(context, query, true),
  'gdap-approve': approveGdap,
  'gdap-terminate': terminateGdap,
  'gdap-expire': expireGdap,
};

export function createScenarioRunner(context: ScenarioContext, deliver: Deliver): RunScenario {
  return async (name, customer) => {
    if (!isScenarioName(name)) throw new ScenarioError('unknown-scenario', `unknown scenario "${name}"; one of: ${SCENARIO_NAMES.join(', ')}`);
    const query = customer?.trim() ? customer.trim() : undefined;
    const outcome = SCENARIOS[name](context, query);
    return { scenario: name, ...outcome, delivery: await deliver(outcome.event) };
  };
}
