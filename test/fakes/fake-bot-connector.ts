import type http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  answerConnectorCall,
  matchConnectorRoute,
  toConnectorError,
  toDeliveredActivity,
  type ConnectorRoute,
  type TeamsMember,
} from './bot-connector-routes.ts';
import { createCallLog } from './call-log.ts';
import { answerWithFaults, createFaultPlan, type CallMatcher, type Fault, type Responder } from './faults.ts';
import { closeServer, listenOnLoopback, parseBody, readBody, toHeaderRecord } from './http.ts';

export type { ConnectorRoute, TeamsMember } from './bot-connector-routes.ts';
export type { Fault } from './faults.ts';

export interface ConnectorCall {
  method: string;
  /** As received, still URL-encoded; `conversationId`/`activityId` hold the decoded ids. */
  path: string;
  headers: Record<string, string>;
  body: unknown;
  timestamp: number;
  route: ConnectorRoute;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
  /** The HTTP status answered; 0 when the connection was dropped. */
  status: number;
  response?: unknown;
}

/** An activity as botbuilder serialises it; loose on purpose so tests read any field they need. */
export interface ActivityBody {
  type?: string;
  id?: string;
  text?: string;
  replyToId?: string;
  conversation?: { id: string; [key: string]: unknown };
  attachments?: Array<{ contentType: string; content?: unknown; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface FakeBotConnector {
  /** The serviceUrl to put into activities and conversation references; throws before start(). */
  readonly url: string;
  readonly calls: readonly ConnectorCall[];
  start(): Promise<{ url: string }>;
  stop(): Promise<void>;
  /** Forgets calls, faults, responder and members; ids keep counting so they stay unique. */
  reset(): void;
  failNext(fault: Fault, count?: number, match?: CallMatcher<ConnectorCall>): void;
  setResponder(responder: Responder<ConnectorCall> | undefined): void;
  /**
   * Makes `GET /v3/conversations/{any}/members/{id or aadObjectId}` (TeamsInfo.getMember) find the member,
   * and `GET /v3/conversations/{any}/pagedmembers` (TeamsInfo.getPagedMembers) list it.
   */
  addMember(member: TeamsMember): void;
  activities(): ActivityBody[];
  waitForActivities(count: number, timeoutMs?: number): Promise<ActivityBody[]>;
}

export interface FakeBotConnectorOptions {
  bodyLimitBytes?: number;
}

export function createFakeBotConnector(options: FakeBotConnectorOptions = {}): FakeBotConnector {
  const log = createCallLog<ConnectorCall>();
  const faults = createFaultPlan<ConnectorCall>();
  const members = new Map<string, TeamsMember>();
  let server: http.Server | undefined;
  let baseUrl: string | undefined;
  let sequence = 0;

  // Teams message ids are epoch-millisecond strings; a counter keeps them unique and reproducible.
  const nextId = (): string => String(1_700_000_000_000 + ++sequence);

  const activities = (): ActivityBody[] =>
    log.calls.flatMap((call): ActivityBody[] => {
      const activity = toDeliveredActivity(call.route, call.status, call.body);
      return activity ? [activity as ActivityBody] : [];
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req, options.bodyLimitBytes);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const match = matchConnectorRoute(method, path);
    const call: ConnectorCall = {
      method,
      path,
      headers: toHeaderRecord(req.headers),
      body: parseBody(raw, req.headers['content-type']),
      timestamp: Date.now(),
      ...match,
      status: 0,
    };
    await answerWithFaults(res, call, {
      faults,
      record: (recorded) => log.record(recorded),
      errorBody: toConnectorError,
      answer: () =>
        answerConnectorCall(match, method, call.body, {
          serviceUrl: baseUrl ?? '',
          nextId,
          findMember: (id) => members.get(id),
          listMembers: () => [...new Map([...members.values()].map((member) => [member.id, member])).values()],
        }),
    });
  }

  return {
    get url() {
      if (!baseUrl) throw new Error('fake bot connector: call start() before reading url');
      return baseUrl;
    },
    get calls() {
      return log.calls;
    },
    async start() {
      if (server) throw new Error('fake bot connector already started');
      ({ server, url: baseUrl } = await listenOnLoopback(handle));
      return { url: baseUrl };
    },
    async stop() {
      const running = server;
      server = undefined;
      faults.cancelDelays();
      log.abortWaits('fake bot connector stopped');
      if (running) await closeServer(running);
    },
    reset() {
      log.clear();
      faults.clear();
      members.clear();
    },
    failNext: (fault, count, match) => faults.failNext(fault, count, match),
    setResponder: (responder) => faults.setResponder(responder),
    addMember(member) {
      members.set(member.id, member);
      if (member.aadObjectId) members.set(member.aadObjectId, member);
    },
    activities,
    waitForActivities(count, timeoutMs = 2000) {
      return log.waitUntil(
        () => (activities().length >= count ? activities() : undefined),
        timeoutMs,
        () => describeCalls(count, activities().length, log.calls),
      );
    },
  };
}

function describeCalls(expected: number, delivered: number, calls: readonly ConnectorCall[]): string {
  const lines = calls.map((call) => {
    const body = call.body as ActivityBody | undefined;
    const text = typeof body?.text === 'string' ? ` text=${JSON.stringify(body.text.slice(0, 60))}` : '';
    const kind = body?.attachments?.map((a) => a.contentType).join(',');
    return `  ${call.method} ${call.path} -> ${call.status} ${call.route}${text}${kind ? ` attachments=${kind}` : ''}`;
  });
  const list = lines.length > 0 ? lines.join('\n') : '  (no calls at all)';
  return `expected ${expected} delivered activities, got ${delivered}; calls received:\n${list}`;
}
