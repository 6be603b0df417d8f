import type { ChatUser, ConversationAddress } from '../chat.ts';
import { autoExtendAllowed, type RoleTemplateName } from './role-templates.ts';

/**
 * The restoration playbook for one customer, as data: where it runs, which step it is at, and what has
 * happened. Every change is a pure function from one state to the next, so the store keeps exactly what a
 * restart needs and tests can walk the whole playbook without a chat platform.
 */
export type RestorationStep =
  /** The reseller relationship is gone: the invitation comes first. */
  | 'needs-invitation'
  /** A GDAP relationship is proposed; an admin confirms roles, duration and auto-extend. */
  | 'proposed'
  /** Created and locked; the customer's approval link is out. */
  | 'awaiting-approval'
  /** Approved; access assignments are being created. */
  | 'assigning'
  | 'done'
  /** The customer did not approve within 90 days: a new request can be started. */
  | 'expired'
  | 'cancelled';

export interface RestorationProposal {
  template: RoleTemplateName;
  roles: string[];
  /** ISO-8601 days, P1D…P730D */
  duration: string;
  autoExtend: boolean;
}

export interface RestorationRelationship {
  id: string;
  displayName: string;
  approvalLink: string;
  createdAt: string;
}

export interface RestorationHistoryEntry {
  at: string;
  /** `started`, `proposal:<template>`, `requested`, `reminder:<day>`, `access-restored:<count>`, … */
  what: string;
  /** Who clicked or typed it (`actorOf`); absent for what events and the timer did. */
  by?: string;
}

/** Earlier playbooks of the customer stay in the audit trail, up to this many lines. */
export const MAX_HISTORY = 200;

/** How a playbook step remembers who did it: the name the platform gave (untrusted, rendered inert) and the id. */
export function actorOf(user: Pick<ChatUser, 'id' | 'name'>): string {
  const name = user.name?.trim();
  return name ? `${name} (${user.id})` : user.id;
}

export interface Restoration {
  customerId: string;
  customerName?: string;
  /** Why it started: the removal kind, `gdap-expiring` (the expiry card's "Start a new relationship"), or `manual` (`restore` typed). */
  reason: 'admin-removed' | 'admin-removed-by-microsoft' | 'gdap-expiring' | 'manual';
  step: RestorationStep;
  address: ConversationAddress;
  startedAt: string;
  startedBy: string;
  proposal?: RestorationProposal;
  relationship?: RestorationRelationship;
  /** Reminder thresholds (days after the request was created) already said: never twice. */
  reminders: number[];
  history: RestorationHistoryEntry[];
}

/** Days after the approval request at which the conversation is reminded; 85: the last warning before day 90. */
export const REMINDER_DAYS: readonly number[] = [3, 7, 14, 85];
export const APPROVAL_EXPIRY_DAYS = 90;
const DAY_MS = 24 * 60 * 60_000;

export const OPEN_STEPS: ReadonlySet<RestorationStep> = new Set(['needs-invitation', 'proposed', 'awaiting-approval', 'assigning']);

export interface StartInput {
  customerId: string;
  customerName?: string;
  reason: Restoration['reason'];
  address: ConversationAddress;
  by: string;
  now: number;
  resellerActive: boolean;
  proposal: RestorationProposal;
  /** The history of the customer's previous (closed) playbook, kept for the audit trail. */
  earlier?: readonly RestorationHistoryEntry[];
}

export function startRestoration(input: StartInput): Restoration {
  const at = new Date(input.now).toISOString();
  return {
    customerId: input.customerId,
    customerName: input.customerName,
    reason: input.reason,
    step: input.resellerActive ? 'proposed' : 'needs-invitation',
    address: input.address,
    startedAt: at,
    startedBy: input.by,
    proposal: input.proposal,
    reminders: [],
    history: [...(input.earlier ?? []), { at, what: 'started', by: input.by }].slice(-MAX_HISTORY),
  };
}

function withHistory(state: Restoration, now: number, what: string, by?: string): Restoration['history'] {
  return [...state.history, { at: new Date(now).toISOString(), what, ...(by ? { by } : {}) }].slice(-MAX_HISTORY);
}

/** The invitation was accepted again (or someone says it was): on to the GDAP proposal. */
export function resellerRestored(state: Restoration, now: number): Restoration {
  if (state.step !== 'needs-invitation') return state;
  return { ...state, step: 'proposed', history: withHistory(state, now, 'reseller-active') };
}

/** Someone posted the invitation from the playbook's card (the link names no customer: this is how history knows). */
export function invitationPosted(state: Restoration, now: number, by: string): Restoration {
  if (state.step !== 'needs-invitation') return state;
  return { ...state, history: withHistory(state, now, 'invitation-requested', by) };
}

/** A new role template or auto-extend choice, only while still a proposal. Auto-extend is dropped when not allowed. */
export function changeProposal(state: Restoration, proposal: RestorationProposal, now: number, by: string): Restoration {
  if (state.step !== 'proposed') return state;
  const checked = { ...proposal, autoExtend: proposal.autoExtend && autoExtendAllowed(proposal.roles) };
  const what = checked.template === state.proposal?.template && checked.autoExtend !== state.proposal.autoExtend ? `auto-extend:${checked.autoExtend ? 'on' : 'off'}` : `proposal:${checked.template}`;
  return { ...state, proposal: checked, history: withHistory(state, now, what, by) };
}

export function requestCreated(state: Restoration, relationship: RestorationRelationship, now: number, by: string): Restoration {
  if (state.step !== 'proposed') return state;
  return { ...state, step: 'awaiting-approval', relationship, reminders: [], history: withHistory(state, now, 'requested', by) };
}

/** The customer approved (webhook or reconciliation); a second report of the same approval changes nothing. */
export function approved(state: Restoration, relationshipId: string, now: number): Restoration {
  if (state.step !== 'awaiting-approval' || state.relationship?.id !== relationshipId) return state;
  return { ...state, step: 'assigning', history: withHistory(state, now, 'approved') };
}

export function accessRestored(state: Restoration, now: number, assignments: number): Restoration {
  if (state.step !== 'assigning') return state;
  return { ...state, step: 'done', history: withHistory(state, now, `access-restored:${assignments}`) };
}

export function cancel(state: Restoration, now: number, by: string): Restoration {
  if (!OPEN_STEPS.has(state.step)) return state;
  return { ...state, step: 'cancelled', history: withHistory(state, now, 'cancelled', by) };
}

/** A new request after expiry (or a cancelled one): back to the proposal, with the same roles. */
export function restart(state: Restoration, now: number, by: string): Restoration {
  if (state.step !== 'expired' && state.step !== 'cancelled') return state;
  const { relationship: _old, ...rest } = state;
  return { ...rest, step: 'proposed', reminders: [], history: withHistory(state, now, 'restarted', by) };
}

export type TimerOutcome = { kind: 'reminder'; day: number } | { kind: 'expired' };

/**
 * What time has brought since the request was created: the reminders now due (each once) and the 90-day
 * expiry. Returns the new state and what to tell the conversation.
 */
export function advanceClock(state: Restoration, now: number): { state: Restoration; outcomes: TimerOutcome[] } {
  if (state.step !== 'awaiting-approval' || !state.relationship) return { state, outcomes: [] };
  const age = now - Date.parse(state.relationship.createdAt);
  if (age >= APPROVAL_EXPIRY_DAYS * DAY_MS) {
    return { state: { ...state, step: 'expired', history: withHistory(state, now, 'approval-expired') }, outcomes: [{ kind: 'expired' }] };
  }
  const due = REMINDER_DAYS.filter((day) => age >= day * DAY_MS && !state.reminders.includes(day));
  // Only the latest one is said: after a long outage, day 14 does not come with days 3 and 7.
  const latest = due.at(-1);
  if (latest === undefined) return { state, outcomes: [] };
  const reminders = [...state.reminders, ...due].sort((a, b) => a - b);
  return { state: { ...state, reminders, history: withHistory(state, now, `reminder:${latest}`) }, outcomes: [{ kind: 'reminder', day: latest }] };
}
