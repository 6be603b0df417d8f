import type { Platform } from '../chat.ts';
import { SLACK_CHANNEL_WINDOWS, SlidingWindowLimiter, TEAMS_CONVERSATION_WINDOWS, TEAMS_TENANT_WINDOWS, type RateWindow } from './rate-limits.ts';

export interface PacingLimits {
  teamsConversation: readonly RateWindow[];
  teamsTenant: readonly RateWindow[];
  slackChannel: readonly RateWindow[];
}

export const PLATFORM_LIMITS: PacingLimits = {
  teamsConversation: TEAMS_CONVERSATION_WINDOWS,
  teamsTenant: TEAMS_TENANT_WINDOWS,
  slackChannel: SLACK_CHANNEL_WINDOWS,
};

/** Every chat API call of the worker asks the pacer first, per conversation and (Teams) per tenant. */
export class Pacer {
  private readonly teamsConversations: SlidingWindowLimiter;
  private readonly teamsTenants: SlidingWindowLimiter;
  private readonly slackChannels: SlidingWindowLimiter;

  constructor(limits: PacingLimits = PLATFORM_LIMITS) {
    this.teamsConversations = new SlidingWindowLimiter(limits.teamsConversation);
    this.teamsTenants = new SlidingWindowLimiter(limits.teamsTenant);
    this.slackChannels = new SlidingWindowLimiter(limits.slackChannel);
  }

  /** Milliseconds until one more call to this conversation fits every limit. */
  delayFor(conversationKey: string, now: number): number {
    const { platform, tenant } = parseKey(conversationKey);
    if (platform === 'slack') return this.slackChannels.delayFor(conversationKey, now);
    return Math.max(this.teamsConversations.delayFor(conversationKey, now), this.teamsTenants.delayFor(tenant, now));
  }

  record(conversationKey: string, now: number): void {
    const { platform, tenant } = parseKey(conversationKey);
    if (platform === 'slack') return this.slackChannels.record(conversationKey, now);
    this.teamsConversations.record(conversationKey, now);
    this.teamsTenants.record(tenant, now);
  }
}

function parseKey(conversationKey: string): { platform: Platform; tenant: string } {
  const [platform, tenant] = conversationKey.split(':');
  return { platform: platform === 'slack' ? 'slack' : 'teams', tenant: tenant ?? '' };
}
