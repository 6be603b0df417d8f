/**
 * The baseline: a bare botbuilder echo bot. A CloudAdapter with anonymous auth behind a plain node:http
 * server on 127.0.0.1, using the bot's own TeamsAdapter and body reader, so it pays the same botbuilder
 * cost as the real bot and nothing else (no store, no core, no card rendering, no metrics).
 */
import http, { type ServerResponse } from 'node:http';
import type { Activity, TurnContext } from 'botbuilder';
import { readBody } from '../../src/http/read-body.ts';
import { createLogger } from '../../src/logger.ts';
import { createTeamsAdapter } from '../../src/platforms/teams/teams-adapter.ts';
import { listenOnLoopback } from './loopback-server.ts';

export interface EchoBot {
  /** Base URL; activities go to `${url}/api/messages`. */
  url: string;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startEchoBot(): Promise<EchoBot> {
  // The bot's own adapter with no app id (anonymous auth), so both pay exactly the same botbuilder cost.
  const adapter = createTeamsAdapter({}, createLogger('silent'));
  const echo = async (context: TurnContext): Promise<void> => {
    await context.sendActivity(context.activity.text);
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        if (req.method !== 'POST' || req.url !== '/api/messages') return send(res, 404, { error: 'not found' });
        const activity = JSON.parse((await readBody(req, 256 * 1024)).toString('utf8')) as Activity;
        const invoke = await adapter.handleActivity(req.headers.authorization ?? '', activity, echo);
        send(res, invoke?.status ?? 200, invoke?.body);
      } catch (error) {
        if (!res.headersSent) send(res, 500, { error: (error as Error).message });
      }
    })();
  });
  return listenOnLoopback(server);
}
