/**
 * The baseline of bench/ingest.ts: a bare node:http server on 127.0.0.1 that reads the whole body (with
 * the bot's own body reader) and answers 200 with the same JSON the bot's webhook route answers. No
 * routing, verification, parsing, store or metrics: what any webhook receiver costs at the very least.
 */
import http from 'node:http';
import { readBody } from '../../src/http/read-body.ts';
import { MAX_BODY_BYTES } from '../../src/http/server.ts';
import { listenOnLoopback } from './loopback-server.ts';

export interface BareServer {
  /** Base URL (no trailing slash). */
  url: string;
  stop(): Promise<void>;
}

const ANSWER = JSON.stringify({ status: 'recorded' });
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(ANSWER) };

export async function startBareServer(): Promise<BareServer> {
  const server = http.createServer((req, res) => {
    readBody(req, MAX_BODY_BYTES).then(
      () => {
        res.writeHead(200, HEADERS);
        res.end(ANSWER);
      },
      () => {
        res.writeHead(400, HEADERS);
        res.end(ANSWER);
      },
    );
  });
  return listenOnLoopback(server);
}
