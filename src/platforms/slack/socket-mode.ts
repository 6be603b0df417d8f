import type { App } from '@slack/bolt';
import type { Store } from '../../core/ports.ts';
import type { InflightTracker } from '../../http/inflight.ts';
import { createSlackApp, type SlackAppOptions } from './slack-app.ts';
import type { SlackReceiver } from './slack-receiver.ts';
import { SlackSocketModeReceiver } from './socket-mode-receiver.ts';

export interface SlackSocketModeOptions extends Omit<SlackAppOptions, 'receiver'> {
  /** SLACK_APP_TOKEN */
  appToken: string;
  store: Store;
  inflight: InflightTracker;
  /** Tests shorten the ping timeout (and with it the reconnect back-off). */
  clientPingTimeoutMs?: number;
}

export interface SlackSocketMode {
  app: App;
  /**
   * Settles when the first connection is up, or rejects when Slack refuses the app token. Start-up does
   * not wait for it: Teams keeps working while Slack is unreachable, and the client keeps reconnecting.
   */
  connected: Promise<void>;
  /** Closes the socket: Slack sends new events to the bot's other connections (other replicas), if any. */
  stop(): Promise<void>;
}

/**
 * Slack over Socket Mode (SLACK_APP_TOKEN set): the same Bolt app and listeners as over HTTP — commands,
 * events, buttons, modals, team allow-list, dedupe — on a WebSocket the bot opens to Slack, so no public
 * URL is needed and `/slack/events` is not served.
 */
export async function startSlackSocketMode(options: SlackSocketModeOptions): Promise<SlackSocketMode> {
  const { appToken, store, inflight, clientPingTimeoutMs, ...appOptions } = options;
  const receiver = new SlackSocketModeReceiver({ appToken, apiUrl: options.apiUrl, store, inflight, log: options.log, clientPingTimeoutMs });
  // createSlackApp only hands its receiver to Bolt, which needs no more than the Receiver interface.
  const app = await createSlackApp({ ...appOptions, receiver: receiver as unknown as SlackReceiver });
  const connected = app.start().then(() => {
    options.log.info({ platform: 'slack' }, 'slack socket mode connected');
  });
  // Marks the rejection handled here (logged once); whoever awaits `connected` still sees it.
  connected.catch((error: unknown) => options.log.error({ err: error, platform: 'slack' }, 'slack socket mode could not connect; check SLACK_APP_TOKEN'));
  return {
    app,
    connected,
    stop: async () => {
      await app.stop();
    },
  };
}
