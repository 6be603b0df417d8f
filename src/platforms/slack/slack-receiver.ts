import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { header, type HttpRequest, type HttpResponse, type Route } from '../../http/http-types.ts';
import type { InflightTracker } from '../../http/inflight.ts';
import type { Logger } from '../../logger.ts';
import type { Store } from '../../core/ports.ts';
import { parseSlackBody, type SlackBody } from './parse-slack-body.ts';
import { isSlackSignatureValid } from './verify-slack-signature.ts';

const ACK_DEADLINE_MS = 2500;
const EVENT_DEDUPE_TTL_MS = 60 * 60 * 1000;

export interface SlackReceiverOptions {
  signingSecret: string;
  store: Store;
  inflight: InflightTracker;
  log: Logger;
  now?: () => number;
}

/**
 * A Bolt receiver on our own HTTP server: verifies the signature on the raw body, parses the three body
 * shapes, drops Slack's retries of events already taken, and answers when a listener calls ack().
 * Listeners keep working after the ack; the in-flight tracker lets shutdown wait for them.
 */
export class SlackReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly options: SlackReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  route(): Route {
    return { method: 'POST', path: '/slack/events', handler: (request) => this.handle(request) };
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    if (!this.isSigned(request)) {
      this.options.log.warn({ platform: 'slack' }, 'slack request refused: bad or missing signature');
      return { status: 401, body: { error: 'invalid signature' } };
    }
    const body = parseSlackBody(request.rawBody, header(request, 'content-type'));
    if (!body) return { status: 400, body: { error: 'unreadable body' } };
    if (body.ssl_check) return { status: 200 };
    if (body.type === 'url_verification') return { status: 200, body: { challenge: String(body.challenge ?? '') } };
    if (await this.isRepeatedEvent(body)) return { status: 200 };
    return this.dispatch(body, request);
  }

  private isSigned(request: HttpRequest): boolean {
    return isSlackSignatureValid({
      signingSecret: this.options.signingSecret,
      signature: header(request, 'x-slack-signature'),
      timestamp: header(request, 'x-slack-request-timestamp'),
      rawBody: request.rawBody,
      nowSeconds: Math.floor((this.options.now ?? Date.now)() / 1000),
    });
  }

  /** Slack retries an event it thinks was not acknowledged; the first delivery already did the work. */
  private async isRepeatedEvent(body: SlackBody): Promise<boolean> {
    if (typeof body.event_id !== 'string') return false;
    return !(await this.options.store.claimOnce(`slack-event:${body.event_id}`, EVENT_DEDUPE_TTL_MS));
  }

  private dispatch(body: SlackBody, request: HttpRequest): Promise<HttpResponse> {
    const app = this.app;
    if (!app) return Promise.resolve({ status: 503, body: { error: 'slack is starting' } });
    return new Promise((resolve) => {
      let answered = false;
      const answer = (response: HttpResponse): void => {
        if (!answered) resolve(response);
        answered = true;
      };
      const timer = setTimeout(() => answer({ status: 200 }), ACK_DEADLINE_MS);
      const event: ReceiverEvent = {
        body,
        retryNum: Number(header(request, 'x-slack-retry-num') ?? 0) || undefined,
        retryReason: header(request, 'x-slack-retry-reason'),
        ack: async (response?: unknown) => answer(toAckResponse(response)),
      };
      const work = app.processEvent(event).then(
        () => answer({ status: 200 }),
        (error: unknown) => {
          // Listeners ack first, so a failure before any ack is Bolt failing to read the body (a signed but
          // malformed payload, e.g. a view_submission without `view`): the request's fault, not ours.
          if (answered) this.options.log.error({ err: error, platform: 'slack' }, 'slack listener failed');
          else this.options.log.warn({ err: error, platform: 'slack' }, 'slack request refused: Bolt could not read the body');
          answer({ status: 400, body: { error: 'unreadable body' } });
        },
      );
      void this.options.inflight.track(work.finally(() => clearTimeout(timer)));
    });
  }
}

function toAckResponse(response: unknown): HttpResponse {
  if (response === undefined || response === '') return { status: 200 };
  if (typeof response === 'string') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: response };
  return { status: 200, body: response as object };
}
