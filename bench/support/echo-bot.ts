/**
 * The baseline: a bare botbuilder echo bot. A CloudAdapter with anonymous auth behind a plain node:http
 * server on 127.0.0.1, reading the body itself and calling `processActivity` through a subclass exactly as
 * src/platforms/teams/teams-adapter.ts does, so it pays the same botbuilder cost as the real bot and
 * nothing else (no store, no core, no card rendering, no metrics).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';

class EchoAdapter extends CloudAdapter {
  handleActivity(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export interface EchoBot {
  /** Base URL; activities go to `${url}/api/messages`. */
  url: string;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startEchoBot(): Promise<EchoBot> {
  // The same (empty) settings createTeamsAdapter builds when no app id is configured: anonymous auth.
  const options = { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: '', MicrosoftAppTenantId: '' };
  const adapter = new EchoAdapter(
    new ConfigurationBotFrameworkAuthentication(options, new ConfigurationServiceClientCredentialFactory(options)),
  );
  const echo = async (context: TurnContext): Promise<void> => {
    await context.sendActivity(context.activity.text);
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        if (req.method !== 'POST' || req.url !== '/api/messages') return send(res, 404, { error: 'not found' });
        const activity = JSON.parse(await readBody(req)) as Activity;
        const invoke = await adapter.handleActivity(req.headers.authorization ?? '', activity, echo);
        send(res, invoke?.status ?? 200, invoke?.body);
      } catch (error) {
        if (!res.headersSent) send(res, 500, { error: (error as Error).message });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
