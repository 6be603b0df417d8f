import type { Config } from './config.ts';
import { createCommandRegistry } from './core/commands/command-registry.ts';
import { createConversationSettings } from './core/conversations/conversation-settings.ts';
import { createChatHandler } from './core/handle-chat-event.ts';
import { createSubscriptionDirectory } from './core/notifications/subscriptions.ts';
import { createRestorationActions } from './core/restoration/restoration-actions.ts';
import { createExpiryActions } from './core/restoration/expiry-actions.ts';
import { setUpRestoration } from './restoration-setup.ts';
import { createTimelineStore } from './core/delivery/timelines.ts';
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
import { startSlackSocketMode, type SlackSocketMode } from './platforms/slack/socket-mode.ts';
import { createTeamsAdapter } from './platforms/teams/teams-adapter.ts';
import { createTeamsBot } from './platforms/teams/teams-bot.ts';
import { createTeamsRoute } from './platforms/teams/teams.route.ts';
import { setUpPartnerCenter, type PartnerCenterTuning } from './partner-center-setup.ts';
import { createInvitationActions } from './core/relationships/invitation-actions.ts';
import { createInvitationRequests } from './core/relationships/invitation-requests.ts';
import { createInvitationTexts } from './core/relationships/invitation-texts.ts';
import { createRequestRelationshipCommand, type InvitationDependencies } from './core/relationships/request-relationship.command.ts';
import { createRelationshipLinkSource } from './core/relationships/relationship-link.ts';
import type { PartnerCenterSimulator } from './simulator/simulator.ts';
import type { BotStore } from './store/bot-store.ts';
import { createStore } from './store/create-store.ts';
import { setUpWebhooks } from './webhook-setup.ts';
import { setUpEvents } from './events-setup.ts';
import { createCustomerLedger } from './core/customers/customer-ledger.ts';
import type { ReconciliationLoop } from './core/events/reconciliation-loop.ts';
import { setUpDelivery, type DeliveryTuning } from './delivery-setup.ts';
import type { ChatSender } from './core/delivery/chat-sender.port.ts';
import type { Platform } from './core/chat.ts';
import { createTeamsSender } from './platforms/teams/teams-sender.ts';
import { createSlackSender } from './platforms/slack/slack-sender.ts';

const SHUTDOWN_GRACE_MS = 10_000;

export interface BotOptions {
  config: Readonly<Config>;
  log: Logger;
  /** Listen address; tests use 127.0.0.1 and port 0. */
  host?: string;
  /** Tests point botbuilder's OpenID metadata at a local fake. */
  teamsAuthOverrides?: Record<string, string>;
  /** Tests shorten Partner Center timeouts and retry budgets. */
  partnerCenterTuning?: PartnerCenterTuning;
  /** Tests and benchmarks speed up the outbox worker or change its limits. */
  deliveryTuning?: DeliveryTuning;
}

export interface RunningBot {
  url: string;
  port: number;
  store: BotStore;
  /** The `?token=` Partner Center webhooks must carry (made up per process in local mode). */
  webhookToken: string;
  /** Local mode: the Partner Center simulator the bot talks to. */
  simulator?: PartnerCenterSimulator;
  /** Runs a reconciliation now (tests; the poll runs on its own every POLL_INTERVAL_MINUTES). */
  reconcileNow: ReconciliationLoop['reconcileNow'];
  /** Runs the restoration playbook's reminder and expiry check now (tests; it runs on its own every hour). */
  remindNow(): Promise<void>;
  stop(): Promise<void>;
}

/** The composition root: store → core → platforms → one HTTP server. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, log } = options;
  const store = await createStore(config.STORE_URL, {
    prefix: config.STORE_PREFIX,
    onBackgroundError: (error) => log.warn({ err: error }, 'store background work failed'),
  });
  const metrics = createMetrics();
  const inflight = createInflightTracker();
  const settings = createConversationSettings(store);
  const references = createConversationReferences(store);
  const allowedTenants = { teams: config.teamsAllowedTenants, slack: config.SLACK_ALLOWED_TEAMS };
  const { partnerCenter, directory, gdapAdmin, simulator, simulatorUrl, announceLocalMode } = await setUpPartnerCenter(config, store, log, options.partnerCenterTuning);
  const subscriptions = createSubscriptionDirectory(store);
  let wakeWorker = (): void => undefined;
  const ledger = createCustomerLedger(store);
  const restoration = setUpRestoration({ config, store, gdapAdmin, recorder: () => events.recorder, settings, wakeWorker: () => wakeWorker(), log });
  const events = setUpEvents({
    config,
    store,
    directory,
    subscriptions,
    ledger,
    log,
    wakeWorker: () => wakeWorker(),
    onEvent: (event) => void restoration.playbook.onEvent(event).catch((error: unknown) => log.error({ err: error, kind: event.kind }, 'the restoration playbook could not follow an event')),
  });
  const webhooks = setUpWebhooks(config, events.recorder, simulatorUrl, { log, metrics });
  const invitations: InvitationDependencies = {
    partnerCenter,
    links: createRelationshipLinkSource(partnerCenter, store, config.INVITATION_LINK_CACHE_MINUTES * 60_000),
    texts: createInvitationTexts(store),
    requests: createInvitationRequests(store, Date.now),
    partnerName: config.PARTNER_DISPLAY_NAME ?? '',
  };
  const handleChat = createChatHandler({
    commands: createCommandRegistry({ settings, invitations, subscriptions, directory, ledger, restoration: { playbook: restoration.playbook, partnerName: invitations.partnerName } }),
    actions: {
      ...createInvitationActions(invitations),
      ...createRestorationActions(restoration.playbook, directory, invitations.partnerName, createRequestRelationshipCommand(invitations)),
      ...createExpiryActions({ gdap: gdapAdmin, ledger, timelines: createTimelineStore(store), clock: { now: () => Date.now() } }),
    },
    settings,
    allowedTenants,
    admins: config.BOT_ADMINS,
    defaultLocale: config.DEFAULT_LOCALE,
  });
  const teamsAdapter = createTeamsAdapter(config, log, options.teamsAuthOverrides);
  const teamsLogic = createTeamsBot({ handleChat, references, allowedTenants: allowedTenants.teams, defaultLocale: config.DEFAULT_LOCALE, log });
  const senders: Partial<Record<Platform, ChatSender>> = { teams: createTeamsSender(teamsAdapter, config.MicrosoftAppId ?? '', references) };
  const routes: Route[] = [...createHealthRoutes(store, metrics), createTeamsRoute(teamsAdapter, teamsLogic, log), webhooks.route];
  let slackSocketMode: SlackSocketMode | undefined;
  if (config.slackEnabled && config.SLACK_BOT_TOKEN && config.SLACK_APP_TOKEN) {
    slackSocketMode = await startSlackSocketMode({
      appToken: config.SLACK_APP_TOKEN,
      token: config.SLACK_BOT_TOKEN,
      apiUrl: config.SLACK_API_URL,
      store,
      inflight,
      handleChat,
      references,
      allowedTeams: allowedTenants.slack,
      defaultLocale: config.DEFAULT_LOCALE,
      log,
    });
    senders.slack = createSlackSender({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL, references, log });
  } else if (config.slackEnabled && config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) {
    const receiver = new SlackReceiver({ signingSecret: config.SLACK_SIGNING_SECRET, store, inflight, log });
    await createSlackApp({
      token: config.SLACK_BOT_TOKEN,
      apiUrl: config.SLACK_API_URL,
      receiver,
      handleChat,
      references,
      allowedTeams: allowedTenants.slack,
      defaultLocale: config.DEFAULT_LOCALE,
      log,
    });
    routes.push(receiver.route());
    senders.slack = createSlackSender({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL, references, log });
  }
  const worker = setUpDelivery({ config, store, senders, directory, settings, subscriptions, references, metrics, log, tuning: options.deliveryTuning, noteFor: restoration.noteFor });
  wakeWorker = worker.wake;
  const server = createHttpServer({ routes, log, metrics, inflight });
  const running = await listen(server, config.PORT, options.host);
  // Local mode: register our webhook URL with the simulator and tell `npm run simulate` where we are.
  const localMode = await announceLocalMode(running.url, webhooks.token);
  worker.start();
  events.reconciliation.start();
  restoration.start();
  let stopping: Promise<void> | undefined;
  const stopAll = async (): Promise<void> => {
    try {
      await slackSocketMode?.stop();
      restoration.stop();
      await Promise.all([events.reconciliation.stop(), worker.stop()]);
      await events.recorder.settled?.();
      await shutDown(running.close, inflight.drain, store, log);
    } finally {
      await localMode.close();
      await simulator?.stop();
    }
  };
  return {
    url: running.url,
    port: running.port,
    store,
    webhookToken: webhooks.token,
    simulator,
    reconcileNow: events.reconciliation.reconcileNow,
    remindNow: () => restoration.playbook.tick(),
    stop: () => (stopping ??= stopAll()),
  };
}

async function shutDown(close: () => Promise<void>, drain: (ms: number) => Promise<number>, store: Store, log: Logger): Promise<void> {
  const closed = close();
  const left = await drain(SHUTDOWN_GRACE_MS);
  if (left > 0) log.warn({ left }, 'shutdown grace period ended with work still in flight');
  await closed;
  await store.close();
}
