/**
 * What tests and local demos can do to the simulator: queue faults, read the request log, expire
 * consent, change customers, GDAP relationships and the audit log. Faults hit Partner Center paths (`/v1/`)
 * unless a prefix says otherwise (`/v1.0/` for Graph); prefixes match the path with its query string
 * (`/v1/customers?size=500&seekOperation=Next`).
 */
import type { AuditInput, AuditLog, SimulatedAuditRecord } from './audit-log.ts';
import type { GdapDirectory, GdapInput, GdapRefusal, SimulatedAccessAssignment, SimulatedGdapRelationship } from './gdap.ts';
import type { RunScenario } from './scenarios/index.ts';
import type { CustomerDirectory, CustomerInput, SimulatedCustomer } from './seed.ts';
import type { TokenRegistry } from './tokens.ts';
import type { Registration, WebhookRegistry } from './webhooks/webhook-registry.ts';

/** `not-json`: an HTML page; `wrong-shape`: JSON without the expected fields; `insecure-url`: an http:// link. */
export type MalformShape = 'not-json' | 'wrong-shape' | 'insecure-url';

export type Fault =
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'fail'; status: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'malform'; shape: MalformShape }
  | { kind: 'drop' };

export interface RecordedRequest {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Token requests only: the OAuth grant (the form itself holds secrets and is not kept). */
  grantType?: string;
}

export interface SimulatorControls {
  /** The next `count` matching requests get 429 with `Retry-After: retryAfterSeconds`. */
  throttleNext(count: number, retryAfterSeconds: number, pathPrefix?: string): void;
  /** The next `count` matching requests get `status` with the Partner Center error body. */
  failNext(count: number, status: number, pathPrefix?: string): void;
  /** The next `count` matching requests are answered normally, `ms` late. */
  delayNext(count: number, ms: number, pathPrefix?: string): void;
  /** The next `count` matching requests get 200 with a body the client must refuse. */
  malformNext(count: number, shape?: MalformShape, pathPrefix?: string): void;
  /** The next `count` matching requests lose their connection before any status line (a reset). */
  dropNext(count: number, pathPrefix?: string): void;
  /** Every refresh token issued so far answers `invalid_grant` (AADSTS700082) from now on. */
  expireRefreshTokens(): void;
  /** A new consent: returns a fresh, valid refresh token. */
  issueRefreshToken(): string;
  /** The newest refresh token the simulator issued (after rotation, the one a client should now hold). */
  currentRefreshToken(): string;
  requestCount(pathPrefix?: string): number;
  /** The most recent requests (at most 10,000), oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** How often `seekOperation=Next` arrived without `MS-ContinuationToken` and restarted at page 1. */
  pageRestarts(): number;
  addCustomer(customer: CustomerInput): SimulatedCustomer;
  removeCustomer(id: string): boolean;
  /** Changes a customer's fields (name, domain, DAP flag); undefined when there is no such customer. */
  updateCustomer(id: string, changes: Partial<Omit<SimulatedCustomer, 'id'>>): SimulatedCustomer | undefined;
  gdapRelationships(): SimulatedGdapRelationship[];
  addGdapRelationship(input: GdapInput): SimulatedGdapRelationship;
  updateGdapRelationship(id: string, changes: Partial<Omit<SimulatedGdapRelationship, 'id'>>): SimulatedGdapRelationship | undefined;
  /** The customer approves (approvalPending → active), without a webhook; the `gdap-approve` scenario also sends one. */
  approveGdapRelationship(id: string): SimulatedGdapRelationship | GdapRefusal;
  /** A relationship's access assignments (undefined when there is no such relationship). */
  gdapAccessAssignments(relationshipId: string): SimulatedAccessAssignment[] | undefined;
  addAuditRecord(input: AuditInput): SimulatedAuditRecord;
  /** The webhook registration a client made (URL with its token: keep it out of logs). */
  webhookRegistration(): Registration | undefined;
  /**
   * Runs a scenario (`accept`, `remove-admin`, `gdap-approve`, …; see scenarios/): changes the state and
   * delivers the matching signed webhook to the registered URL. `customer` is a name, domain, tenant id
   * (or, for GDAP scenarios, a relationship id). Rejects with a ScenarioError when it cannot run.
   */
  runScenario: RunScenario;
  /** Back to the seeded state: no faults, no log, initial refresh token, seed customers, relationships and audit records only. */
  reset(): void;
}

export const PARTNER_CENTER_PATH_PREFIX = '/v1/';
const REQUEST_LOG_LIMIT = 10_000;

interface QueuedFault {
  fault: Fault;
  remaining: number;
  pathPrefix: string;
}

export interface SimulatorParts {
  tokens: TokenRegistry;
  customers: CustomerDirectory;
  gdap: GdapDirectory;
  audit: AuditLog;
  webhooks: WebhookRegistry;
}

export interface SimulatorState extends SimulatorParts {
  record(request: RecordedRequest): void;
  /** The first queued fault whose prefix matches `path` (with query string), consumed. */
  takeFault(path: string): Fault | undefined;
  countPageRestart(): void;
  controls: SimulatorControls;
}

export function createSimulatorState(parts: SimulatorParts, runScenario: RunScenario): SimulatorState {
  const { tokens, customers, gdap, audit, webhooks } = parts;
  let faults: QueuedFault[] = [];
  let requests: RecordedRequest[] = [];
  let restarts = 0;

  function queue(fault: Fault, count: number, pathPrefix = PARTNER_CENTER_PATH_PREFIX): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    faults.push({ fault, remaining: count, pathPrefix });
  }

  const controls: SimulatorControls = {
    throttleNext: (count, retryAfterSeconds, pathPrefix) => queue({ kind: 'throttle', retryAfterSeconds }, count, pathPrefix),
    failNext: (count, status, pathPrefix) => queue({ kind: 'fail', status }, count, pathPrefix),
    delayNext: (count, ms, pathPrefix) => queue({ kind: 'delay', ms }, count, pathPrefix),
    malformNext: (count, shape = 'not-json', pathPrefix) => queue({ kind: 'malform', shape }, count, pathPrefix),
    dropNext: (count, pathPrefix) => queue({ kind: 'drop' }, count, pathPrefix),
    expireRefreshTokens: () => tokens.expireRefreshTokens(),
    issueRefreshToken: () => tokens.issueRefreshToken(),
    currentRefreshToken: () => tokens.currentRefreshToken(),
    requestCount: (pathPrefix = '') => requests.filter((request) => request.path.startsWith(pathPrefix)).length,
    get requests() {
      return requests;
    },
    pageRestarts: () => restarts,
    addCustomer: (customer) => customers.add(customer),
    removeCustomer: (id) => customers.remove(id),
    updateCustomer: (id, changes) => customers.update(id, changes),
    gdapRelationships: () => gdap.list(),
    addGdapRelationship: (input) => gdap.add(input),
    updateGdapRelationship: (id, changes) => gdap.update(id, changes),
    approveGdapRelationship: (id) => gdap.approve(id),
    gdapAccessAssignments: (relationshipId) => gdap.accessAssignments(relationshipId),
    addAuditRecord: (input) => audit.add(input),
    webhookRegistration: () => webhooks.get(),
    runScenario,
    reset() {
      faults = [];
      requests = [];
      restarts = 0;
      tokens.reset();
      customers.reset();
      gdap.reset();
      audit.reset();
      webhooks.reset();
    },
  };

  return {
    ...parts,
    controls,
    record(request) {
      requests.push(request);
      if (requests.length > REQUEST_LOG_LIMIT) requests = requests.slice(-REQUEST_LOG_LIMIT / 2);
    },
    takeFault(path) {
      const entry = faults.find((candidate) => path.startsWith(candidate.pathPrefix));
      if (!entry) return undefined;
      entry.remaining -= 1;
      if (entry.remaining === 0) faults = faults.filter((candidate) => candidate !== entry);
      return entry.fault;
    },
    countPageRestart: () => void (restarts += 1),
  };
}
