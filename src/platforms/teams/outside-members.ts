import { TeamsInfo, type TurnContext } from 'botbuilder';

const PAGE_SIZE = 200;

/**
 * True when someone in the conversation is not a regular member of the partner's own tenant: a user from
 * another tenant (external or shared-channel members) or a guest. Personal chats are the user's own.
 */
export async function hasOutsideMembers(context: TurnContext, tenantId: string): Promise<boolean> {
  if (context.activity.conversation?.conversationType === 'personal') return false;
  let continuationToken: string | undefined;
  do {
    const page = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, continuationToken);
    const outside = page.members.some(
      (member) => member.userRole === 'guest' || (member.tenantId !== undefined && member.tenantId.toLowerCase() !== tenantId.toLowerCase()),
    );
    if (outside) return true;
    continuationToken = page.continuationToken || undefined;
  } while (continuationToken);
  return false;
}
