/**
 * The simulator's device authorization grant (RFC 8628, as Entra's `/devicecode` serves it). Nobody can
 * sign in at a simulated Entra, so every code approves itself: the admin agent "finishes signing in" on
 * the APPROVE_AFTER_POLLS-th poll. Until then polls answer `authorization_pending`; a poll sooner than
 * `interval` answers `slow_down` and adds five seconds, as the RFC asks of servers; a code is good for
 * `expires_in` and redeems once.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '../core/ports.ts';

/** Entra gives 15 minutes to sign in. */
export const DEVICE_CODE_LIFETIME_SECONDS = 900;
/** Entra asks for 5 s between polls; the simulator asks for 1 s so trying `npm run consent` takes seconds. */
export const DEVICE_CODE_INTERVAL_SECONDS = 1;
/** The first poll is pending, the second one gets the tokens. */
export const APPROVE_AFTER_POLLS = 2;
/** RFC 8628 §3.5: after slow_down the client adds 5 s to its interval. */
const SLOW_DOWN_STEP_SECONDS = 5;
/** Timers and clocks are not exact: a poll this much early still counts as on time. */
const EARLY_TOLERANCE_MS = 200;
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface IssuedDeviceCode {
  deviceCode: string;
  userCode: string;
  expiresIn: number;
  interval: number;
}

export type DevicePollOutcome = 'approved' | 'pending' | 'slow_down' | 'expired' | 'unknown' | 'redeemed';

export interface DevicePoll {
  result: DevicePollOutcome;
  /** Whether the code was asked for with `offline_access` (only then does Entra hand out a refresh token). */
  offlineAccess: boolean;
}

interface PendingCode {
  clientId: string;
  offlineAccess: boolean;
  expiresAt: number;
  intervalMs: number;
  polls: number;
  /** The code's issue time until the first poll: the client waits `interval` before polling at all. */
  lastPollAt: number;
  redeemed: boolean;
}

export interface DeviceCodeRegistry {
  issue(clientId: string, offlineAccess: boolean): IssuedDeviceCode;
  /** One poll by `clientId`; `approved` exactly once per code. */
  poll(deviceCode: string, clientId: string): DevicePoll;
}

export function createDeviceCodeRegistry(clock: Clock): DeviceCodeRegistry {
  const codes = new Map<string, PendingCode>();

  function forgetExpired(now: number): void {
    for (const [code, entry] of codes) if (entry.expiresAt + DEVICE_CODE_LIFETIME_SECONDS * 1000 < now) codes.delete(code);
  }

  function tooSoon(entry: PendingCode, now: number): boolean {
    return now - entry.lastPollAt < entry.intervalMs - EARLY_TOLERANCE_MS;
  }

  function advance(entry: PendingCode, now: number): DevicePollOutcome {
    if (entry.redeemed) return 'redeemed';
    if (now >= entry.expiresAt) return 'expired';
    if (tooSoon(entry, now)) {
      entry.lastPollAt = now;
      entry.intervalMs += SLOW_DOWN_STEP_SECONDS * 1000;
      return 'slow_down';
    }
    entry.lastPollAt = now;
    entry.polls += 1;
    if (entry.polls < APPROVE_AFTER_POLLS) return 'pending';
    entry.redeemed = true;
    return 'approved';
  }

  return {
    issue(clientId, offlineAccess) {
      forgetExpired(clock.now());
      const deviceCode = randomBytes(48).toString('base64url');
      const userCode = Array.from({ length: 9 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
      codes.set(deviceCode, { clientId, offlineAccess, expiresAt: clock.now() + DEVICE_CODE_LIFETIME_SECONDS * 1000, intervalMs: DEVICE_CODE_INTERVAL_SECONDS * 1000, polls: 0, lastPollAt: clock.now(), redeemed: false });
      return { deviceCode, userCode, expiresIn: DEVICE_CODE_LIFETIME_SECONDS, interval: DEVICE_CODE_INTERVAL_SECONDS };
    },
    poll(deviceCode, clientId) {
      const entry = codes.get(deviceCode);
      if (!entry || entry.clientId !== clientId) return { result: 'unknown', offlineAccess: false };
      return { result: advance(entry, clock.now()), offlineAccess: entry.offlineAccess };
    },
  };
}
