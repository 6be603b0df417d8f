import type { Config } from './config.ts';
import { createCommandRegistry } from './core/commands/command-registry.ts';
import { createConversationSettings } from './core/conversations/conversation-settings.ts';
import { createChatHandler } from './core/handle-chat-event.ts';
import type { Store } from './core/ports.ts';
import { createHealthRoutes } from './http/health.routes.ts';
import type { Route } from './http/http-types.ts';
import { createInflightTracker } from './http/inflight.ts';
import { createMetrics } from './http/metrics.ts';
import { createHttpServer, listen } from './http/server.ts';
import type { Logger } from './logger.ts';
import { createConversationReferences } from './platforms/conversation-references.ts';
import { createSlackApp } from './platforms/slack/slack-app.ts';
import { SlackReceiver } from './platforms/slack/slack-receiver.ts';
import { createTeamsAdapter } from './platforms/teams/teams-adapter.ts';
import { createTeamsBot } from './platforms/teams/teams-bot.ts';
import { createTeamsRoute } from './platforms/teams/teams.route.ts';
import { createStore } from './store/create-store.ts';

const SHUTDOWN_GRACE_MS = 10_000;

export interface BotOptions {
  config: Readonly<Config>;
  log: Logger;
  /** Listen address; tests use 127.0.0.1 and port 0. */
  host?: string;
  /** Tests point botbuilder's OpenID metadata at a local fake. */
  teamsAuthOverrides?: Record<string, string>;
}

export interface RunningBot {
  url: string;
  port: number;
  store: Store;
  stop(): Promise<void>;
}

/** The composition root: store → core → platforms → one HTTP server. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, log } = options;
  const store = await createStore(config.STORE_URL);
  const metrics = createMetrics();
  const inflight = createInflightTracker();
  const settings = createConversationSettings(store);
  const references = createConversationReferences(store);
  const allowedTenants = { teams: config.teamsAllowedTenants, slack: config.SLACK_ALLOWED_TEAMS };
  const handleChat = createChatHandler({
    commands: createCommandRegistry({ settings }),
    settings,
    allowedTenants,
    admins: config.BOT_ADMINS,
    defaultLocale: config.DEFAULT_LOCALE,
  });
  const teamsAdapter = createTeamsAdapter(config, log, options.teamsAuthOverrides);
  const teamsLogic = createTeamsBot({ handleChat, references, allowedTenants: allowedTenants.teams, log });
  const routes: Route[] = [...createHealthRoutes(store, metrics), createTeamsRoute(teamsAdapter, teamsLogic, log)];
  if (config.slackEnabled && config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) {
    const receiver = new SlackReceiver({ signingSecret: config.SLACK_SIGNING_SECRET, store, inflight, log });
    await createSlackApp({
      token: config.SLACK_BOT_TOKEN,
      apiUrl: config.SLACK_API_URL,
      receiver,
      handleChat,
      references,
      allowedTeams: allowedTenants.slack,
      log,
    });
    routes.push(receiver.route());
  }
  const server = createHttpServer({ routes, log, metrics, inflight });
  const running = await listen(server, config.PORT, options.host);
  let stopping: Promise<void> | undefined;
  return {
    url: running.url,
    port: running.port,
    store,
    stop: () => (stopping ??= shutDown(running.close, inflight.drain, store, log)),
  };
}

async function shutDown(close: () => Promise<void>, drain: (ms: number) => Promise<number>, store: Store, log: Logger): Promise<void> {
  const closed = close();
  const left = await drain(SHUTDOWN_GRACE_MS);
  if (left > 0) log.warn({ left }, 'shutdown grace period ended with work still in flight');
  await closed;
  await store.close();
}
