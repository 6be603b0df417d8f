/**
 * The simulator's Partner Center audit log (`/v1/auditrecords`): what scenarios record (a customer removing
 * DAP, a customer accepting) and what a client reads back to learn which customer an event left unnamed.
 */
import type { Clock } from '../core/ports.ts';
import { SAMPLE_CUSTOMERS } from './seed.ts';

export interface SimulatedAuditRecord {
  /** `{partnerId}_{customerId}_{operation without separators}_{ticks}`, as in Microsoft's examples. */
  id: string;
  partnerId: string;
  customerId?: string;
  customerName?: string;
  userPrincipalName: string;
  applicationId: string;
  resourceType: string;
  /** A JSON string, parsed again by readers (Partner Center's quirk). */
  resourceNewValue?: string;
  operationType: string;
  /** ISO-8601 */
  operationDate: string;
  operationStatus: 'succeeded' | 'failed' | 'progress';
}

export type AuditInput = Pick<SimulatedAuditRecord, 'operationType' | 'resourceType'> & Partial<Omit<SimulatedAuditRecord, 'operationType' | 'resourceType' | 'partnerId'>>;

export interface AuditLog {
  add(input: AuditInput): SimulatedAuditRecord;
  find(id: string): SimulatedAuditRecord | undefined;
  /** Records with startMs ≤ operationDate ≤ endMs, oldest first. */
  between(startMs: number, endMs: number): SimulatedAuditRecord[];
  reset(): void;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** .NET ticks (100 ns since 0001-01-01) at the Unix epoch. */
const UNIX_EPOCH_TICKS = 621_355_968_000_000_000n;
/** Who the simulated partner's records name when a customer acted (the customer's admin is not the partner's user). */
const CUSTOMER_ACTOR = 'customer-admin@customer.invalid';

export function toTicks(epochMs: number): string {
  return String(UNIX_EPOCH_TICKS + BigInt(epochMs) * 10_000n);
}

export function createAuditLog(partnerId: string, clock: Clock): AuditLog {
  let records: SimulatedAuditRecord[] = [];

  function add(input: AuditInput): SimulatedAuditRecord {
    const dateMs = input.operationDate ? Date.parse(input.operationDate) : clock.now();
    const compact = input.operationType.replaceAll('_', '');
    const record: SimulatedAuditRecord = {
      userPrincipalName: CUSTOMER_ACTOR,
      applicationId: 'Partner Center',
      operationStatus: 'succeeded',
      ...input,
      partnerId,
      operationDate: new Date(dateMs).toISOString(),
      id: input.id ?? `${partnerId}_${input.customerId ?? partnerId}_${compact}_${toTicks(dateMs)}`,
    };
    records.push(record);
    return record;
  }

  function seed(): void {
    const now = clock.now();
    const contoso = SAMPLE_CUSTOMERS[1];
    const wideWorld = SAMPLE_CUSTOMERS[11];
    records = [];
    if (contoso) add({ operationType: 'dap_admin_relationship_approved', resourceType: 'partner_customer_dap', customerId: contoso.id, customerName: contoso.companyName, operationDate: new Date(now - 60 * DAY_MS).toISOString() });
    if (wideWorld) add({ operationType: 'add_customer', resourceType: 'customer', customerId: wideWorld.id, customerName: wideWorld.companyName, operationDate: new Date(now - 20 * DAY_MS).toISOString() });
  }

  seed();
  return {
    add,
    find: (id) => records.find((record) => record.id === id),
    between: (startMs, endMs) =>
      records.filter((record) => Date.parse(record.operationDate) >= startMs && Date.parse(record.operationDate) <= endMs).sort((a, b) => Date.parse(a.operationDate) - Date.parse(b.operationDate)),
    reset: seed,
  };
}
