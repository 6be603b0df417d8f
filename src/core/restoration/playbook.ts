import { randomUUID } from 'node:crypto';
import type { ConversationAddress } from '../chat.ts';
import type { EventRecorder } from '../events/ingest-event.ts';
import type { DomainEvent } from '../events/partner-center-event.ts';
import type { Clock, Logger } from '../ports.ts';
import type { CallContext, Customer } from '../relationships/partner-center.port.ts';
import { approvalLink, type GdapAdmin } from './gdap.port.ts';
import {
  accessRestored,
  advanceClock,
  approved,
  cancel,
  changeProposal,
  invitationPosted,
  requestCreated,
  resellerRestored,
  restart,
  startRestoration,
  type Restoration,
  type RestorationProposal,
} from './restoration.ts';
import type { RestorationStore } from './restoration-store.ts';
import { autoExtendAllowed, rolesOf, type RoleTemplateName } from './role-templates.ts';

export interface AccessAssignmentPlan {
  securityGroupId: string;
  roles: string[];
}

export interface PlaybookDependencies {
  restorations: RestorationStore;
  gdap: Pick<GdapAdmin, 'createRelationship' | 'lockForApproval' | 'createAccessAssignment'>;
  recorder: EventRecorder;
  /** Posts a note about the playbook into its conversation, durably and once per `noteKey`. */
  notify: (state: Restoration, note: string, noteKey: string) => Promise<void>;
  defaultRoles: readonly string[];
  defaultDuration: string;
  accessAssignments: readonly AccessAssignmentPlan[];
  clock: Clock;
  log: Logger;
}

/**
 * The restoration playbook's use cases: start or resume, change the proposal, create the GDAP request,
 * react to approval (webhook or reconciliation), remind, expire. State lives in the RestorationStore and
 * every change goes through it, so a restart resumes at the same step.
 */
export function createPlaybook(deps: PlaybookDependencies) {
  const now = () => deps.clock.now();
  const proposal = (template: RoleTemplateName = 'default'): RestorationProposal => {
    const roles = rolesOf(template, deps.defaultRoles);
    return { template, roles, duration: deps.defaultDuration, autoExtend: autoExtendAllowed(roles) };
  };

  return {
    /** `restore <customer>` or "Start restoration": a new playbook, or the open one as it is. */
    start(customer: Customer, input: { reason: Restoration['reason']; address: ConversationAddress; by: string }): Promise<Restoration | undefined> {
      return deps.restorations.update(customer.id, (current) => {
        if (current && current.step !== 'done' && current.step !== 'cancelled' && current.step !== 'expired') return current;
        return startRestoration({
          customerId: customer.id.toLowerCase(),
          customerName: customer.companyName,
          reason: input.reason,
          address: input.address,
          by: input.by,
          now: now(),
          resellerActive: customer.relationshipToPartner === 'reseller',
          proposal: proposal(),
          earlier: current?.history,
        });
      });
    },

    choose(customerId: string, template: RoleTemplateName, by: string) {
      return deps.restorations.update(customerId, (state) => state && changeProposal(state, proposal(template), now(), by));
    },

    toggleAutoExtend(customerId: string, by: string) {
      return deps.restorations.update(customerId, (state) => state?.proposal && changeProposal(state, { ...state.proposal, autoExtend: !state.proposal.autoExtend }, now(), by));
    },

    /** Creates the GDAP relationship and locks it for approval. Idempotent: a second click finds it requested. */
    async request(customerId: string, by: string, call: CallContext) {
      return deps.restorations.update(customerId, async (state) => {
        if (!state || state.step !== 'proposed' || !state.proposal) return state;
        const displayName = relationshipName(state, now());
        const created = await deps.gdap.createRelationship(
          {
            displayName,
            customerTenantId: state.customerId,
            customerName: state.customerName,
            roles: state.proposal.roles,
            duration: state.proposal.duration,
            autoExtendDuration: state.proposal.autoExtend ? 'P180D' : 'PT0S',
          },
          call,
        );
        await deps.gdap.lockForApproval(created.id, call);
        return requestCreated(state, { id: created.id, displayName, approvalLink: approvalLink(created.id), createdAt: new Date(now()).toISOString() }, now(), by);
      });
    },

    noteInvitation: (customerId: string, by: string) => deps.restorations.update(customerId, (state) => state && invitationPosted(state, now(), by)),
    cancel: (customerId: string, by: string) => deps.restorations.update(customerId, (state) => state && cancel(state, now(), by)),
    restart: (customerId: string, by: string) => deps.restorations.update(customerId, (state) => state && restart(state, now(), by)),
    get: (customerId: string) => deps.restorations.get(customerId),

    /** Every recorded event passes here: approvals move the playbook on; an acceptance brings the reseller back. */
    async onEvent(event: DomainEvent): Promise<void> {
      const customerId = event.customer?.id ?? event.customerId;
      if ((event.kind === 'accepted' || event.kind === 'accepted-indirect') && customerId) {
        // Most acceptances have no playbook: a read, rather than the update's lease, finds that out.
        if (!(await deps.restorations.get(customerId))) return;
        await deps.restorations.update(customerId, (state) => state && resellerRestored(state, now()));
        return;
      }
      if ((event.kind === 'gdap-approved' || event.kind === 'gdap-activated') && event.relationshipId) await onApproved(event.relationshipId, customerId);
    },

    /** Reminders and expiry for every open playbook; each note is recorded once (its key), whoever runs this. */
    async tick(): Promise<void> {
      for (const customerId of await deps.restorations.listOpen()) {
        let outcomes: ReturnType<typeof advanceClock>['outcomes'] = [];
        const state = await deps.restorations.update(customerId, (current) => {
          if (!current) return current;
          const result = advanceClock(current, now());
          outcomes = result.outcomes;
          return result.state;
        });
        for (const outcome of outcomes) {
          if (!state) break;
          const note = outcome.kind === 'reminder' ? `reminder-${outcome.day}` : 'expired';
          await deps.notify(state, note, `${state.relationship?.id ?? 'none'}:${note}`);
        }
      }
    },
  };

  async function onApproved(relationshipId: string, customerId: string | undefined): Promise<void> {
    const candidates = customerId ? [customerId] : await deps.restorations.listOpen();
    for (const id of candidates) {
      const state = await deps.restorations.update(id, (current) => current && approved(current, relationshipId, now()));
      if (state?.step !== 'assigning' || state.relationship?.id !== relationshipId) continue;
      const created = await assignAccess(relationshipId);
      const done = await deps.restorations.update(id, (current) => current && accessRestored(current, now(), created));
      if (!done) continue;
      await deps.notify(done, 'access-restored', `${relationshipId}:access-restored`);
      // The customer's own card in every subscribed conversation learns it too.
      await deps.recorder.record({
        kind: 'access-restored',
        notification: 'removed',
        eventName: 'restoration',
        dedupeKey: `restoration:access-restored:${relationshipId}`,
        customerId: done.customerId,
        customer: { id: done.customerId, name: done.customerName },
        changedAt: new Date(now()).toISOString(),
        source: 'reconciliation',
      });
    }
  }

  /** GDAP_ACCESS_ASSIGNMENTS for the approved relationship; a failure is logged and counted, not fatal. */
  async function assignAccess(relationshipId: string): Promise<number> {
    let created = 0;
    for (const plan of deps.accessAssignments) {
      try {
        await deps.gdap.createAccessAssignment(relationshipId, plan, { locale: 'en', correlationId: randomUUID() });
        created += 1;
      } catch (error) {
        deps.log.error({ err: error, relationshipId, securityGroupId: plan.securityGroupId }, 'could not create an access assignment; create it in Partner Center');
      }
    }
    return created;
  }
}

export type Playbook = ReturnType<typeof createPlaybook>;

/** ≤ 50 characters, unique enough per customer and day: Graph refuses duplicates. */
export function relationshipName(state: Restoration, now: number): string {
  const day = new Date(now).toISOString().slice(0, 10);
  const customer = (state.customerName ?? state.customerId).replace(/[^\p{L}\p{N} .&-]/gu, '').trim().slice(0, 30);
  return `${customer} restore ${day}`.slice(0, 50);
}
