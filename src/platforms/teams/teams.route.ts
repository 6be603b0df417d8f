import type { Activity } from 'botbuilder';
import { header, type HttpRequest, type HttpResponse, type Route } from '../../http/http-types.ts';
import type { Logger } from '../../logger.ts';
import type { TeamsAdapter } from './teams-adapter.ts';
import type { TeamsLogic } from './teams-bot.ts';

/** `POST /api/messages`: Bot Framework JWT checked by botbuilder; bad bodies are 400, never a crash. */
export function createTeamsRoute(adapter: TeamsAdapter, logic: TeamsLogic, log: Logger): Route {
  return {
    method: 'POST',
    path: '/api/messages',
    handler: async (request) => {
      const activity = parseActivity(request);
      if (!activity) return { status: 400, body: { error: 'expected a Bot Framework activity (JSON object with type, conversation and serviceUrl)' } };
      return runActivity(adapter, activity, logic, header(request, 'authorization') ?? '', log);
    },
  };
}

async function runActivity(adapter: TeamsAdapter, activity: Activity, logic: TeamsLogic, authHeader: string, log: Logger): Promise<HttpResponse> {
  try {
    const invoke = await adapter.handleActivity(authHeader, activity, logic);
    return { status: invoke?.status ?? 200, body: invoke?.body as object | undefined };
  } catch (error) {
    if (isAuthenticationFailure(error)) {
      log.warn({ platform: 'teams', reason: (error as Error).message }, 'teams request refused: not authenticated');
      return { status: 401, body: { error: 'unauthorized' } };
    }
    throw error;
  }
}

/**
 * botbuilder throws its AuthenticationError (statusCode 401) for most bad tokens, but lets jsonwebtoken's
 * own errors through untouched (bad signature, `alg` other than RS256, not yet valid, truncated token):
 * those are refusals too, never a server error.
 */
const JWT_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

function isAuthenticationFailure(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 401 || JWT_ERRORS.has((error as Error).name);
}

function parseActivity(request: HttpRequest): Activity | undefined {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
  const activity = body as Partial<Activity> | null;
  const valid =
    !!activity &&
    typeof activity === 'object' &&
    typeof activity.type === 'string' &&
    typeof activity.serviceUrl === 'string' &&
    typeof activity.conversation?.id === 'string';
  return valid ? (activity as Activity) : undefined;
}
