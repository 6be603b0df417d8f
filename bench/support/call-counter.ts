/**
 * Counts the calls the bot makes to the fakes during a long run and forgets them every half second, so
 * the fakes' call logs (full requests) never pile up in the benchmark's own heap.
 */
import type { FakeBotConnector } from '../../test/fakes/fake-bot-connector.ts';
import type { FakeSlackApi } from '../../test/fakes/fake-slack-api.ts';

export interface CallCounter {
  /** Calls since the last `take()`; Slack's also by Web API method. */
  take(): { teamsCalls: number; slackCalls: number; slackMethods: Record<string, number> };
  stop(): void;
}

const EMPTY_EVERY_MS = 500;

export function startCallCounter(fakes: { connector: FakeBotConnector; slack: FakeSlackApi }): CallCounter {
  let teamsCalls = 0;
  let slackCalls = 0;
  let slackMethods: Record<string, number> = {};
  const empty = (): void => {
    teamsCalls += fakes.connector.calls.length;
    slackCalls += fakes.slack.calls.length;
    for (const call of fakes.slack.calls) slackMethods[call.method] = (slackMethods[call.method] ?? 0) + 1;
    fakes.connector.reset();
    fakes.slack.reset();
  };
  const timer = setInterval(empty, EMPTY_EVERY_MS);
  return {
    take() {
      empty();
      const taken = { teamsCalls, slackCalls, slackMethods };
      teamsCalls = 0;
      slackCalls = 0;
      slackMethods = {};
      return taken;
    },
    stop: () => clearInterval(timer),
  };
}
