/**
 * Posts one activity at a time over one keep-alive connection per target and times it from just before
 * the POST to the moment the fake Bot Connector records the bot's reply activity.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ActivityBody, FakeBotConnector } from '../../test/fakes/fake-bot-connector.ts';

export interface TimedReply {
  /** Milliseconds from just before the POST to the connector recording the reply. */
  latencyMs: number;
  reply: ActivityBody;
  /** The status the bot answered the POST with. */
  status: number;
}

export interface SequentialClient {
  /** Posts `body` (JSON text) to `url` and resolves once both the reply and the POST's response are in. */
  send(url: string, body: string): Promise<TimedReply>;
  close(): void;
}

function post(agent: http.Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.once('error', reject);
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}

/**
 * `connector` is reset before each request, so its call log holds at most this request's calls and
 * `waitForActivities(1)` stays O(1) however many requests ran before (its check rescans the whole log).
 */
export function createSequentialClient(connector: FakeBotConnector, replyTimeoutMs = 10_000): SequentialClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    async send(url, body) {
      connector.reset();
      let arrivedAt = 0;
      const replied = connector.waitForActivities(1, replyTimeoutMs).then((activities) => {
        arrivedAt = performance.now();
        return activities[0] as ActivityBody;
      });
      const startedAt = performance.now();
      const answered = post(agent, url, body).then((status) => {
        if (status < 200 || status > 299) throw new Error(`POST ${url} answered ${status}`);
        return status;
      });
      const [status, reply] = await Promise.all([answered, replied]);
      return { latencyMs: arrivedAt - startedAt, reply, status };
    },
    close: () => agent.destroy(),
  };
}
