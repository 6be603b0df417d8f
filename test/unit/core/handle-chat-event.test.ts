import assert from 'node:assert/strict';
import type { ChatEvent } from '../../../src/core/chat.ts';
import { createCommandRegistry } from '../../../src/core/commands/command-registry.ts';
import { createConversationSettings } from '../../../src/core/conversations/conversation-settings.ts';
import { createChatHandler, type ChatHandler } from '../../../src/core/handle-chat-event.ts';
import type { Store } from '../../../src/core/ports.ts';
import { createInvitationRequests } from '../../../src/core/relationships/invitation-requests.ts';
import { createInvitationTexts } from '../../../src/core/relationships/invitation-texts.ts';
import type { PartnerCenter } from '../../../src/core/relationships/partner-center.port.ts';
import { createRelationshipLinkSource } from '../../../src/core/relationships/relationship-link.ts';
import { createSubscriptionDirectory } from '../../../src/core/notifications/subscriptions.ts';
import { createStore } from '../../../src/store/create-store.ts';
import { createCustomerLedger } from '../../../src/core/customers/customer-ledger.ts';

const unusedPartnerCenter: PartnerCenter = {
  getRelationshipRequestUrl: async () => 'https://admin.microsoft.com/x',
  listIndirectProviders: async () => [],
  getCustomer: async () => {
    throw new Error('not used');
  },
  async *listCustomers() {
    yield [];
  },
};

const TENANT = 'tenant-a';
const ADMIN = { id: 'admin-1', locale: 'en-US' };

function messageFrom(user: { id: string; locale?: string }, text: string, tenantId = TENANT): ChatEvent {
  return { address: { platform: 'teams', tenantId, conversationId: 'conv-1', kind: 'channel' }, user, text };
}

describe('handleChatEvent', () => {
  let store: Store;
  let handle: ChatHandler;

  beforeEach(async () => {
    store = await createStore('sqlite://:memory:');
    const settings = createConversationSettings(store);
    handle = createChatHandler({
      commands: createCommandRegistry({
        settings,
        invitations: {
          partnerCenter: unusedPartnerCenter,
          links: createRelationshipLinkSource(unusedPartnerCenter, store, 0),
          texts: createInvitationTexts(store),
          requests: createInvitationRequests(store, Date.now),
          partnerName: 'Contoso',
        },
        subscriptions: createSubscriptionDirectory(store),
        directory: {
          ...unusedPartnerCenter,
          searchCustomers: async () => [],
          async *listGdapRelationships() {
            yield [];
          },
        },
        ledger: createCustomerLedger(store),
      }),
      settings,
      allowedTenants: { teams: [TENANT], slack: [] },
      admins: ['teams:admin-1'],
      defaultLocale: 'en',
    });
  });

  afterEach(() => store.close());

  it('when a user asks for help, then the help card lists only what that user may run', async () => {
    const reply = await handle(messageFrom({ id: 'user-1' }, 'help'));
    assert.equal(reply?.template, 'help');
    const names = (reply?.data.commands as { name: string }[]).map((command) => command.name);
    assert.deepEqual(names, ['help', 'request relationship', 'status', 'pending', 'history']);
    assert.equal(reply?.data.isAdmin, false);
  });

  it('when an admin asks for help, then admin commands are listed too', async () => {
    const reply = await handle(messageFrom(ADMIN, 'help'));
    assert.deepEqual((reply?.data.commands as { name: string }[]).map((command) => command.name), ['help', 'request relationship', 'subscribe', 'unsubscribe', 'subscriptions', 'status', 'pending', 'history', 'language']);
  });

  it('when the tenant is not on the allow-list, then the answer is the refusal and nothing runs', async () => {
    const reply = await handle(messageFrom(ADMIN, 'language de', 'other-tenant'));
    assert.equal(reply?.template, 'error');
    assert.equal(reply?.data.code, 'ACCESS.TENANT_NOT_ALLOWED');
    assert.equal((await handle(messageFrom(ADMIN, 'help')))?.locale, 'en', 'the refused command changed nothing');
  });

  it('when the user locale is German, then the answer is German; a conversation language wins over it', async () => {
    assert.equal((await handle(messageFrom({ id: 'u', locale: 'de-DE' }, 'hilfe')))?.locale, 'de');
    const set = await handle(messageFrom(ADMIN, 'language en'));
    assert.equal(set?.template, 'language');
    assert.equal((await handle(messageFrom({ id: 'u', locale: 'de-DE' }, 'help')))?.locale, 'en');
  });

  it('when a non-admin runs an admin command, then it is refused', async () => {
    const reply = await handle(messageFrom({ id: 'user-1' }, 'language de'));
    assert.equal(reply?.data.code, 'ACCESS.ADMIN_ONLY');
  });

  it('when the language is not one we speak, then the answer says so', async () => {
    const reply = await handle(messageFrom(ADMIN, 'language fr'));
    assert.equal(reply?.data.code, 'LANGUAGE.INVALID');
    assert.equal(reply?.data.detail, 'fr');
  });

  it('when a command is mistyped, then the answer suggests the closest one the user may run', async () => {
    const reply = await handle(messageFrom({ id: 'user-1' }, 'halp'));
    assert.equal(reply?.data.code, 'COMMAND.UNKNOWN');
    assert.deepEqual(reply?.data.suggestions, ['help']);
    const hidden = await handle(messageFrom({ id: 'user-1' }, 'languag de'));
    assert.deepEqual(hidden?.data.suggestions, [], 'admin commands are not suggested to others');
  });

  it('when the text is empty (a bare @mention), then the answer is help', async () => {
    assert.equal((await handle(messageFrom({ id: 'user-1' }, '  ')))?.template, 'help');
  });

  it('when a suggestion button is clicked, then its command runs', async () => {
    const event = { ...messageFrom({ id: 'user-1' }, ''), text: undefined, action: { name: 'command', data: { text: 'help' } } };
    assert.equal((await handle(event))?.template, 'help');
  });

  it('when an unknown card action arrives, then there is no answer', async () => {
    for (const name of ['something-else', 'constructor', 'toString', '__proto__']) {
      const event = { ...messageFrom({ id: 'user-1' }, ''), action: { name, data: {} } };
      assert.equal(await handle(event), undefined, name);
    }
  });
});
