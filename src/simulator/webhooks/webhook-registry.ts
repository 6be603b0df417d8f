/**
 * The simulated partner tenant's webhook registration (one per tenant, as in Partner Center), the test
 * deliveries it asked for, and Partner Center's limit of two validation events per minute.
 */
import type { Clock } from '../../core/ports.ts';

export interface Registration {
  subscriberId: string;
  /** The bot's full webhook URL, token included: never logged. */
  webhookUrl: string;
  events: string[];
  /** `signatureTokenToMsSignatureHeader: true` moves the signature to x-ms-signature. */
  signatureHeader: 'authorization' | 'x-ms-signature';
}

export interface DeliveryAttempt {
  responseCode: string;
  responseMessage: string;
  systemError: boolean;
  dateTimeUtc: string;
}

export interface ValidationEvent {
  correlationId: string;
  status: 'pending' | 'completed';
  callbackUrl: string;
  results: DeliveryAttempt[];
}

export interface WebhookRegistry {
  get(): Registration | undefined;
  save(registration: Registration): void;
  addValidation(event: ValidationEvent): void;
  getValidation(correlationId: string): ValidationEvent | undefined;
  /** Seconds to wait when two validation events were already sent in the last minute; undefined when one may go now (and is counted). */
  takeValidationSlot(): number | undefined;
  reset(): void;
}

const VALIDATIONS_PER_MINUTE = 2;
const MINUTE_MS = 60_000;

export function createWebhookRegistry(clock: Clock): WebhookRegistry {
  let registration: Registration | undefined;
  let validations = new Map<string, ValidationEvent>();
  let sentAt: number[] = [];
  return {
    get: () => registration,
    save(next) {
      registration = next;
    },
    addValidation: (event) => void validations.set(event.correlationId, event),
    getValidation: (correlationId) => validations.get(correlationId.toLowerCase()),
    takeValidationSlot() {
      const now = clock.now();
      sentAt = sentAt.filter((at) => now - at < MINUTE_MS);
      if (sentAt.length >= VALIDATIONS_PER_MINUTE) return Math.max(1, Math.ceil(((sentAt[0] ?? now) + MINUTE_MS - now) / 1000));
      sentAt.push(now);
      return undefined;
    },
    reset() {
      registration = undefined;
      validations = new Map();
      sentAt = [];
    },
  };
}
