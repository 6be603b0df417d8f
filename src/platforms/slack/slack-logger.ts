import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../logger.ts';

/**
 * At debug level the Web API logs every request and response body (our cards, the invitation link in
 * them) and Bolt every inbound body as JSON; pino's redact cannot reach inside a message string.
 */
const PAYLOAD_MESSAGE = /^(http request (?:body|result|headers)): /;

function withoutPayload(text: string): string {
  const labelled = PAYLOAD_MESSAGE.exec(text);
  if (labelled) return `${labelled[1]}: [omitted]`;
  return /^\s*[[{]/.test(text) ? '[payload omitted]' : text;
}

/** Bolt and the Web API log through this, into our structured logs, without the payloads they carry. */
export function toSlackLogger(log: Logger): SlackLogger {
  const child = log.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const write = (method: 'debug' | 'info' | 'warn' | 'error') => (...messages: unknown[]) =>
    child[method]({ platform: 'slack' }, withoutPayload(messages.map((message) => (message instanceof Error ? message.message : String(message))).join(' ')));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
