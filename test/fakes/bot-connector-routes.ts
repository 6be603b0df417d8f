/**
 * The slice of the Bot Framework Connector REST API (v3) that botbuilder's CloudAdapter and TeamsInfo call,
 * as pure functions so the server in fake-bot-connector.ts stays about HTTP and recording.
 */
export type ConnectorRoute = 'send' | 'reply' | 'update' | 'delete' | 'createConversation' | 'getMember' | 'listMembers' | 'unknown';

export interface RouteMatch {
  route: ConnectorRoute;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
}

/** TeamsChannelAccount as `GET /v3/conversations/{id}/members/{memberId}` returns it. */
export interface TeamsMember {
  id: string;
  name?: string;
  aadObjectId?: string;
  givenName?: string;
  surname?: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  userRole?: string;
}

export interface Answer {
  status: number;
  body?: unknown;
}

/** Error codes the Teams connector uses, so code that branches on `error.code` can be tested. */
const ERROR_CODES: Record<number, string> = {
  400: 'BadArgument',
  401: 'Unauthorized',
  403: 'BotNotInConversationRoster',
  404: 'ConversationNotFound',
  412: 'PreconditionFailed',
  413: 'MessageSizeTooBig',
  429: 'Throttled',
  502: 'ServiceError',
  504: 'GatewayTimeout',
};

export function toConnectorError(status: number, message = `fake connector answered ${status}`): unknown {
  return { error: { code: ERROR_CODES[status] ?? 'ServiceError', message } };
}

/** botbuilder URL-encodes ids such as `19:abc@thread.tacv2;messageid=1` and `a:1xyz`: split first, then decode. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function matchConnectorRoute(method: string, rawPath: string): RouteMatch {
  const pathname = rawPath.split('?')[0] ?? '';
  const parts = pathname.split('/').filter((part) => part !== '').map(decodeSegment);
  const [version, collection, conversationId, kind, itemId, ...rest] = parts;
  if (version !== 'v3' || collection !== 'conversations' || rest.length > 0) return { route: 'unknown' };
  if (conversationId === undefined) return { route: method === 'POST' ? 'createConversation' : 'unknown' };
  if (kind === 'activities') {
    if (itemId === undefined) return { route: method === 'POST' ? 'send' : 'unknown', conversationId };
    const byMethod: Record<string, ConnectorRoute> = { POST: 'reply', PUT: 'update', DELETE: 'delete' };
    const route = itemId === 'history' ? 'unknown' : (byMethod[method] ?? 'unknown');
    return { route, conversationId, activityId: itemId };
  }
  if (kind === 'pagedmembers' && itemId === undefined && method === 'GET') return { route: 'listMembers', conversationId };
  if (kind === 'members' && itemId !== undefined && method === 'GET') {
    return { route: 'getMember', conversationId, memberId: itemId };
  }
  return { route: 'unknown', conversationId };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface AnswerContext {
  serviceUrl: string;
  nextId(): string;
  findMember(memberId: string): TeamsMember | undefined;
  listMembers(): TeamsMember[];
}

/** The normal (fault-free) answer; mirrors the status codes Teams uses: 201 for creates, 200 otherwise. */
export function answerConnectorCall(match: RouteMatch, method: string, body: unknown, ctx: AnswerContext): Answer {
  switch (match.route) {
    case 'send':
    case 'reply':
      if (!isObject(body) || typeof body.type !== 'string') {
        return { status: 400, body: toConnectorError(400, 'activity with a type is required') };
      }
      return { status: 201, body: { id: ctx.nextId() } };
    case 'update':
      if (!isObject(body)) return { status: 400, body: toConnectorError(400, 'activity is required') };
      return { status: 200, body: { id: match.activityId } };
    case 'delete':
      return { status: 200 };
    case 'createConversation':
      return answerCreateConversation(body, ctx);
    case 'getMember': {
      const member = ctx.findMember(match.memberId ?? '');
      if (member) return { status: 200, body: member };
      return { status: 404, body: { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found' } } };
    }
    case 'listMembers':
      // TeamsInfo.getPagedMembers: one page holds everyone the test registered.
      return { status: 200, body: { members: ctx.listMembers() } };
    default:
      return { status: 404, body: toConnectorError(404, `the fake connector has no route for ${method}`) };
  }
}

/** Teams answers a channel post with a thread id (`;messageid=`) and a 1:1 create with an `a:` id. */
function answerCreateConversation(body: unknown, ctx: AnswerContext): Answer {
  if (!isObject(body)) return { status: 400, body: toConnectorError(400, 'conversation parameters are required') };
  const channelData = isObject(body.channelData) ? body.channelData : {};
  const channelId = isObject(channelData.channel) ? channelData.channel.id : undefined;
  const activityId = isObject(body.activity) ? ctx.nextId() : undefined;
  const id = typeof channelId === 'string' ? `${channelId};messageid=${activityId ?? ctx.nextId()}` : `a:fake-conversation-${ctx.nextId()}`;
  return { status: 201, body: { id, ...(activityId ? { activityId } : {}), serviceUrl: ctx.serviceUrl } };
}

/** The activity a 2xx call delivered, if any: sends, replies, updates and a create's first message. */
export function toDeliveredActivity(route: ConnectorRoute, status: number, body: unknown): Record<string, unknown> | undefined {
  if (status < 200 || status > 299 || !isObject(body)) return undefined;
  if (route === 'send' || route === 'reply' || route === 'update') return body;
  if (route === 'createConversation' && isObject(body.activity)) return body.activity;
  return undefined;
}
