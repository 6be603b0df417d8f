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
    if ((error as { statusCode?: number }).statusCode === 401) {
      log.warn({ platform: 'teams', reason: (error as Error).message }, 'teams request refused: not authenticated');
      return { status: 401, body: { error: 'unauthorized' } };
    }
    throw error;
  }
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
