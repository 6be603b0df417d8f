import type { Reply } from '../chat.ts';

/**
 * How the outbox worker reaches a conversation. Implemented per platform (Teams: proactive messages through
 * the stored conversation reference; Slack: chat.postMessage / chat.update / thread_ts). Failures are thrown
 * as DeliveryFailure so the worker can tell "slow down", "gone" and "try again later" apart.
 */
export interface ChatSender {
  /** Posts a new message; returns the platform's id for it (Teams activity id, Slack ts). */
  post(conversationKey: string, reply: Reply): Promise<string>;
  /** Replaces a message the bot posted earlier; false when that message no longer exists (deleted by someone). */
  update(conversationKey: string, messageRef: string, reply: Reply): Promise<boolean>;
  /** Answers under a message the bot posted earlier (Slack thread, Teams channel reply chain). */
  postFollowUp(conversationKey: string, messageRef: string, reply: Reply): Promise<void>;
}

export type DeliveryFailureKind =
  /** The platform said "slow down": wait `retryAfterMs` for this conversation only. */
  | 'rate-limited'
  /** The conversation no longer exists for the bot (removed, archived, not a member). */
  | 'gone'
  /** Worth another try later (5xx, timeout, connection reset). */
  | 'transient'
  /** Will fail the same way every time (bad request, no conversation reference). */
  | 'permanent';

export class DeliveryFailure extends Error {
  readonly kind: DeliveryFailureKind;
  readonly retryAfterMs?: number;

  constructor(kind: DeliveryFailureKind, message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryFailure';
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Unknown errors are worth another try: a bug shows up as a dead notification, not a lost one. */
export function toDeliveryFailure(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  return new DeliveryFailure('transient', error instanceof Error ? error.message : String(error), { cause: error });
}
