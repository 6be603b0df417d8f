import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { Store } from '../../core/ports.ts';
import type { InflightTracker } from '../../http/inflight.ts';
import type { Logger } from '../../logger.ts';
import { toSlackLogger } from './slack-logger.ts';

/** Same as the HTTP receiver: Slack wants an ack within 3 s, so an unanswered envelope is acked at 2.5 s. */
const ACK_DEADLINE_MS = 2500;
const EVENT_DEDUPE_TTL_MS = 60 * 60 * 1000;
/**
 * The Socket Mode client logs whole envelopes and acks at debug level; they hold response URLs, trigger ids
 * and what users typed. Those lines never reach our logs.
 */
const PAYLOAD_LOG_LINES = /^(Received a message on the WebSocket|Sending a WebSocket message|Calling ack\(\))/;

export interface SlackSocketModeReceiverOptions {
  /** SLACK_APP_TOKEN (xapp-…), with the connections:write scope. */
  appToken: string;
  /** SLACK_API_URL: where `apps.connections.open` is called (tests: a loopback fake). */
  apiUrl: string;
  store: Store;
  inflight: InflightTracker;
  log: Logger;
  /** Ping timeout, which is also the reconnect back-off step; tests shorten it. Default 5 s. */
  clientPingTimeoutMs?: number;
}

/** What SocketModeClient hands to `slack_event` listeners. */
interface SocketModeEnvelope {
  ack(response?: Record<string, unknown> | string): Promise<void>;
  envelope_id: string;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * A Bolt receiver over Slack's Socket Mode: the bot opens a WebSocket to Slack (no public URL), and every
 * envelope goes through the same Bolt listeners as the HTTP receiver, with the same rules: events Slack
 * retries are dropped by `event_id` in the store, the ack goes out when a listener calls ack() (or at the
 * deadline), and listeners keep working after it under the in-flight tracker.
 */
export class SlackSocketModeReceiver implements Receiver {
  private app: App | undefined;
  readonly client: SocketModeClient;

  constructor(private readonly options: SlackSocketModeReceiverOptions) {
    this.client = new SocketModeClient({
      appToken: options.appToken,
      logger: quietPayloads(toSlackLogger(options.log)),
      clientPingTimeout: options.clientPingTimeoutMs,
      clientOptions: { slackApiUrl: options.apiUrl },
    });
    this.client.on('slack_event', (envelope: SocketModeEnvelope) => {
      void options.inflight.track(this.handle(envelope));
    });
  }

  init(app: App): void {
    this.app = app;
  }

  /** Resolves once Slack said hello on the socket; rejects when Slack refuses the app token. */
  async start(): Promise<void> {
    await this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
  }

  private async handle(envelope: SocketModeEnvelope): Promise<void> {
    const ack = this.ackOnce(envelope);
    if (await this.isRepeatedEvent(envelope.body)) return ack();
    const app = this.app;
    if (!app) return; // not acked: Slack delivers it again once we are initialised
    const timer = setTimeout(() => void ack(), ACK_DEADLINE_MS);
    const event: ReceiverEvent = { body: envelope.body, retryNum: envelope.retry_num, retryReason: envelope.retry_reason, ack };
    try {
      await app.processEvent(event);
      await ack();
    } catch (error) {
      // Like a 500 on HTTP: left unacked (unless the deadline acked it), so Slack shows the failure.
      this.options.log.error({ err: error, platform: 'slack' }, 'slack listener failed');
    } finally {
      clearTimeout(timer);
    }
  }

  /** Slack takes one ack per envelope; a listener's ack(response) wins over the automatic one. */
  private ackOnce(envelope: SocketModeEnvelope): (response?: unknown) => Promise<void> {
    let acked = false;
    return async (response?: unknown) => {
      if (acked) return;
      acked = true;
      try {
        await envelope.ack(toAckPayload(response));
      } catch (error) {
        this.options.log.warn({ err: error, platform: 'slack' }, 'could not acknowledge a Socket Mode envelope (connection closed)');
      }
    };
  }

  /** Slack retries an event it thinks was not acknowledged; the first delivery already did the work. */
  private async isRepeatedEvent(body: Record<string, unknown>): Promise<boolean> {
    if (typeof body.event_id !== 'string') return false;
    return !(await this.options.store.claimOnce(`slack-event:${body.event_id}`, EVENT_DEDUPE_TTL_MS));
  }
}

function toAckPayload(response: unknown): Record<string, unknown> | string | undefined {
  if (response === undefined || response === '') return undefined;
  return typeof response === 'string' ? response : (response as Record<string, unknown>);
}

function quietPayloads(logger: ReturnType<typeof toSlackLogger>): ReturnType<typeof toSlackLogger> {
  return {
    ...logger,
    debug: (...messages: unknown[]) => {
      if (!PAYLOAD_LOG_LINES.test(String(messages[0] ?? ''))) logger.debug(...messages);
    },
  };
}
