import assert from 'node:assert/strict';
import type { Reply } from '../../../../src/core/chat.ts';
import { createConversationSettings } from '../../../../src/core/conversations/conversation-settings.ts';
import type { ChatSender } from '../../../../src/core/delivery/chat-sender.port.ts';
import { createTimelineDelivery } from '../../../../src/core/delivery/deliver-notification.ts';
import { Pacer } from '../../../../src/core/delivery/pacer.ts';
import { createTimelineStore } from '../../../../src/core/delivery/timelines.ts';
import type { OutboxRow } from '../../../../src/core/events/event-store.port.ts';
import type { BotStore } from '../../../../src/store/bot-store.ts';
import { createStore } from '../../../../src/store/create-store.ts';

const KEY = 'slack:T1:C1';
const ADDRESS = { platform: 'slack' as const, tenantId: 'T1', conversationId: 'C1', kind: 'channel' as const };

function row(id: string, payload: Record<string, unknown>): OutboxRow {
  return { id, eventId: `event-${id}`, conversationKey: KEY, payload, state: 'sending', attempts: 0, createdAt: 1_000, notBefore: 1_000 };
}

function cardRow(id: string, customerId: string): OutboxRow {
  const event = { kind: 'accepted', notification: 'accepted', eventName: 'x', dedupeKey: id, customerId, customer: { id: customerId, name: `Customer ${id}` }, changedAt: '2026-11-25T10:00:00Z' };
  return row(id, { template: 'customer-timeline', event, address: ADDRESS });
}

describe('delivering a burst that holds a restoration playbook note', () => {
  let store: BotStore;
  beforeEach(async () => {
    store = await createStore('sqlite://:memory:');
  });
  afterEach(() => store.close());

  it('when a note piled up with customer cards, then the note is posted as itself and the cards as one digest (nothing fails)', async () => {
    let now = 1_000;
    const posted: Reply[] = [];
    const sender: ChatSender = {
      post: async (_key, reply) => {
        posted.push(reply);
        return `ts-${posted.length}`;
      },
      update: async () => true,
      postFollowUp: async () => undefined,
    };
    const note: Reply = { template: 'restoration', locale: 'en', data: { note: 'reminder-3' } };
    const deliver = createTimelineDelivery({
      sender,
      timelines: createTimelineStore(store),
      enricher: { subjectOf: async (event) => ({ storyKey: `customer:${event.customerId}`, customer: { id: event.customerId ?? '' } }) },
      settings: createConversationSettings(store),
      pacer: new Pacer(),
      clock: { now: () => now },
      defaultLocale: 'en',
      // Waiting for the platform limits moves the test's clock on.
      sleep: async (ms) => {
        now += ms;
      },
      noteFor: async (payload) => (payload.note === 'reminder-3' ? note : undefined),
    });
    const burst = [row('n1', { template: 'restoration-note', customerId: 'c0', note: 'reminder-3' }), cardRow('b', 'c2'), cardRow('c', 'c3')];
    await deliver(cardRow('a', 'c1'), new AbortController().signal, async () => burst);
    assert.deepEqual(posted.map((reply) => reply.template), ['restoration', 'notification-digest']);
    assert.equal((posted[1]?.data.items as unknown[]).length, 3);
  });
});
