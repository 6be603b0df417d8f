import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.ts';
import type { HttpRequest, HttpResponse, Route } from './http-types.ts';
import type { InflightTracker } from './inflight.ts';
import type { Metrics } from './metrics.ts';
import { BodyTooLargeError, readBody } from './read-body.ts';

export const MAX_BODY_BYTES = 256 * 1024;

export interface HttpServerOptions {
  routes: readonly Route[];
  log: Logger;
  metrics: Metrics;
  inflight: InflightTracker;
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections; in-flight requests finish (the caller drains the tracker). */
  close(): Promise<void>;
}

/** One HTTP server for every route: Teams, Slack, Partner Center webhooks, health and metrics. */
export function createHttpServer(options: HttpServerOptions): http.Server {
  const table = new Map(options.routes.map((route) => [`${route.method} ${route.path}`, route]));
  const paths = new Set(options.routes.map((route) => route.path));
  return http.createServer((req, res) => {
    void options.inflight.track(serve(req, res, table, paths, options));
  });
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  table: Map<string, Route>,
  paths: Set<string>,
  options: HttpServerOptions,
): Promise<void> {
  const started = process.hrtime.bigint();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = table.get(`${req.method} ${url.pathname}`);
  const label = route?.path ?? 'unmatched';
  let response: HttpResponse;
  try {
    response = route
      ? await runRoute(route, req, url, options.maxBodyBytes ?? MAX_BODY_BYTES)
      : { status: paths.has(url.pathname) ? 405 : 404, body: { error: paths.has(url.pathname) ? 'method not allowed' : 'not found' } };
  } catch (error) {
    response = toErrorResponse(error, options.log, label);
  }
  send(res, response);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  options.metrics.httpRequests.inc({ route: label, method: req.method ?? 'unknown', status: String(response.status) });
  options.metrics.httpDuration.observe({ route: label }, seconds);
}

async function runRoute(route: Route, req: IncomingMessage, url: URL, limit: number): Promise<HttpResponse> {
  const rawBody = req.method === 'POST' ? await readBody(req, limit) : Buffer.alloc(0);
  const request: HttpRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    route: route.path,
  };
  return route.handler(request);
}

function toErrorResponse(error: unknown, log: Logger, route: string): HttpResponse {
  if (error instanceof BodyTooLargeError) return { status: 413, body: { error: 'request body too large' }, headers: { connection: 'close' } };
  log.error({ err: error, route }, 'request handler failed');
  return { status: 500, body: { error: 'internal error' } };
}

function send(res: ServerResponse, response: HttpResponse): void {
  if (res.headersSent) return;
  const isText = typeof response.body === 'string' || Buffer.isBuffer(response.body);
  const payload = response.body === undefined ? '' : isText ? (response.body as string | Buffer) : JSON.stringify(response.body);
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(payload), ...response.headers };
  if (response.body !== undefined && !isText && !headers['content-type']) headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** Starts listening on 127.0.0.1-or-all interfaces and resolves with the bound address. */
export function listen(server: http.Server, port: number, host?: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost';
      resolve({
        url: `http://${shown}:${address.port}`,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
