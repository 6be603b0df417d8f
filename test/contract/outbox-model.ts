/** A plain in-memory reading of the EventStore and Outbox ports, the oracle of the property test. */
import type { OutboxMessage, OutboxRow, OutboxState, RecordedEvent } from '../../src/core/events/event-store.port.ts';
import { T0 } from './outbox-harness.ts';

interface ModelRow {
  row: OutboxRow;
  seq: number;
}

const byAge = (a: ModelRow, b: ModelRow) => a.row.createdAt - b.row.createdAt || a.seq - b.seq;
const copy = (entry: ModelRow): OutboxRow => structuredClone(entry.row);

export class OutboxModel {
  now = T0;
  nextEvent = 0;
  nextMessage = 0;
  private seq = 0;
  private readonly rows = new Map<string, ModelRow>();
  private readonly dedupeKeys = new Set<string>();
  private readonly eventIds = new Set<string>();
  private readonly pauses = new Map<string, number>();

  rowIds(): string[] {
    return [...this.rows.keys()];
  }

  row(id: string): OutboxRow | undefined {
    return this.rows.get(id)?.row;
  }

  record(event: RecordedEvent, messages: readonly OutboxMessage[]): boolean | 'conflict' {
    if (this.dedupeKeys.has(event.dedupeKey)) return false;
    const ids = messages.map((message) => message.id);
    if (this.eventIds.has(event.id) || new Set(ids).size !== ids.length || ids.some((id) => this.rows.has(id))) return 'conflict';
    this.dedupeKeys.add(event.dedupeKey);
    this.eventIds.add(event.id);
    for (const message of messages) {
      const notBefore = this.withPause(message.conversationKey, event.receivedAt);
      const row: OutboxRow = { ...structuredClone(message), state: 'pending', attempts: 0, notBefore, createdAt: event.receivedAt };
      this.rows.set(message.id, { row, seq: (this.seq += 1) });
    }
    return true;
  }

  claim(owner: string, now: number, limit: number, claimMs: number): OutboxRow[] {
    const ordered = [...this.rows.values()].sort(byAge);
    const busy = new Set(ordered.filter(({ row }) => row.state === 'sending' && row.claimedUntil! > now).map(({ row }) => row.conversationKey));
    const heads = new Map<string, ModelRow>();
    for (const entry of ordered) {
      const key = entry.row.conversationKey;
      if (busy.has(key) || heads.has(key) || (this.pauses.get(key) ?? now) > now) continue;
      if (this.isDue(entry.row, now)) heads.set(key, entry);
    }
    const chosen = [...heads.values()].sort(byAge).slice(0, limit);
    for (const { row } of chosen) Object.assign(row, { state: 'sending', claimedBy: owner, claimedUntil: now + claimMs, attempts: row.attempts + 1 });
    return chosen.map(copy);
  }

  finish(id: string, owner: string, state: 'done' | 'pending' | 'dead', notBefore: number, error: string): boolean {
    const row = this.rows.get(id)?.row;
    if (!row || row.state !== 'sending' || row.claimedBy !== owner) return false;
    delete row.claimedBy;
    delete row.claimedUntil;
    row.state = state;
    if (state !== 'done') row.lastError = error;
    if (state === 'pending') row.notBefore = this.withPause(row.conversationKey, notBefore);
    return true;
  }

  defer(conversationKey: string, until: number): void {
    this.pauses.set(conversationKey, Math.max(this.pauses.get(conversationKey) ?? until, until));
    for (const { row } of this.rows.values()) {
      if (row.conversationKey === conversationKey && row.state === 'pending') row.notBefore = Math.max(row.notBefore, until);
    }
  }

  drop(conversationKey: string, reason: string): number {
    const pending = [...this.rows.values()].filter(({ row }) => row.conversationKey === conversationKey && row.state === 'pending');
    for (const { row } of pending) Object.assign(row, { state: 'dead', lastError: reason });
    return pending.length;
  }

  replay(ids?: readonly string[]): number {
    const chosen = ids ? [...new Set(ids)].map((id) => this.rows.get(id)).filter((entry) => entry !== undefined) : [...this.rows.values()];
    const dead = chosen.filter(({ row }) => row.state === 'dead');
    for (const { row } of dead) Object.assign(row, { state: 'pending', attempts: 0, notBefore: this.withPause(row.conversationKey, row.notBefore) });
    return dead.length;
  }

  counts(): Record<OutboxState, number> {
    const counts: Record<OutboxState, number> = { pending: 0, sending: 0, done: 0, dead: 0 };
    for (const { row } of this.rows.values()) counts[row.state] += 1;
    return counts;
  }

  listConversation(conversationKey: string): OutboxRow[] {
    return [...this.rows.values()].filter(({ row }) => row.conversationKey === conversationKey).sort(byAge).map(copy);
  }

  listDead(limit: number): OutboxRow[] {
    return [...this.rows.values()].filter(({ row }) => row.state === 'dead').sort(byAge).slice(0, limit).map(copy);
  }

  private isDue(row: OutboxRow, now: number): boolean {
    const claimable = row.state === 'pending' || (row.state === 'sending' && row.claimedUntil! <= now);
    return claimable && row.notBefore <= now;
  }

  private withPause(conversationKey: string, notBefore: number): number {
    return Math.max(notBefore, this.pauses.get(conversationKey) ?? notBefore);
  }
}
