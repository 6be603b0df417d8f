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

  private readonly pauses = new Map<string, number>();

  /** Milliseconds until one more call to this conversation fits every limit (and its Retry-After, if any). */
  delayFor(conversationKey: string, now: number): number {
    const paused = Math.max(0, (this.pauses.get(conversationKey) ?? 0) - now);
    if (paused === 0) this.pauses.delete(conversationKey);
    const { platform, tenant } = parseKey(conversationKey);
    if (platform === 'slack') return Math.max(paused, this.slackChannels.delayFor(conversationKey, now));
    return Math.max(paused, this.teamsConversations.delayFor(conversationKey, now), this.teamsTenants.delayFor(tenant, now));
  }

  /** The platform said "slow down" for this conversation: no call before `until`. */
  pause(conversationKey: string, until: number): void {
    this.pauses.set(conversationKey, Math.max(until, this.pauses.get(conversationKey) ?? 0));
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
