/**
 * Structured logs (pino). Secrets never reach the output: known secret-bearing fields are redacted by
 * path, wherever they sit in a log object, and a test feeds sentinel secrets through the failure paths.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

const SECRET_FIELDS = [
  'authorization',
  'Authorization',
  'password',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'refresh_token',
  'access_token',
  'client_secret',
  'signature',
  'invitationUrl',
  'approvalUrl',
  'rawBody',
  'body',
  'cookie',
  'x-slack-signature',
  'x-ms-signature',
];

const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => [`["${field}"]`, `*["${field}"]`, `*.*["${field}"]`, `*.headers["${field}"]`]);

export type Logger = PinoLogger;

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'partner-relationship-bot' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError, error: serializeError },
    },
    destination,
  );
}

/**
 * Keeps only what explains an error. HTTP client errors carry their request config (headers with bearer
 * tokens, bodies with secrets) several levels deep, out of reach of path redaction: drop all of it.
 */
export function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  const fields = value as Error & { code?: unknown; status?: unknown; response?: { status?: unknown } };
  return {
    type: value.name,
    message: value.message,
    code: typeof fields.code === 'string' ? fields.code : undefined,
    status: fields.response?.status ?? fields.status,
    stack: value.stack,
    cause: depth < 3 && value.cause !== undefined ? serializeError(value.cause, depth + 1) : undefined,
  };
}
