import assert from 'node:assert/strict';
import type { ChatEvent, Reply } from '../../../../src/core/chat.ts';
import type { Store } from '../../../../src/core/ports.ts';
import { createInvitationActions } from '../../../../src/core/relationships/invitation-actions.ts';
import { createInvitationRequests } from '../../../../src/core/relationships/invitation-requests.ts';
import { createInvitationTexts } from '../../../../src/core/relationships/invitation-texts.ts';
import type { PartnerCenter } from '../../../../src/core/relationships/partner-center.port.ts';
import { createRelationshipLinkSource } from '../../../../src/core/relationships/relationship-link.ts';
import { createRequestRelationshipCommand, type InvitationDependencies } from '../../../../src/core/relationships/request-relationship.command.ts';
import { createStore } from '../../../../src/store/create-store.ts';

const LINK = 'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=p&msppId=0&DAP=false#/BillingAccounts/partner-invitation';

const partnerCenter: PartnerCenter = {
  getRelationshipRequestUrl: async () => LINK,
  listIndirectProviders: async () => [],
  getCustomer: async () => {
    throw new Error('not used');
  },
  async *listCustomers() {
    yield [];
  },
};

const event = (conversationId = 'C1'): ChatEvent => ({
  address: { platform: 'teams', tenantId: 'T1', conversationId, kind: 'channel' },
  user: { id: 'U1' },
});

describe('invitation card actions', () => {
  let store: Store;
  let deps: InvitationDependencies;
  let invitationId: string;
  let click: (name: string, data: Record<string, unknown>, options?: { isAdmin?: boolean; conversationId?: string; external?: boolean }) => Promise<Reply | undefined>;

  beforeEach(async () => {
    store = await createStore('sqlite://:memory:');
    deps = {
      partnerCenter,
      links: createRelationshipLinkSource(partnerCenter, store, 60_000),
      texts: createInvitationTexts(store),
      requests: createInvitationRequests(store, Date.now),
      partnerName: 'Contoso Partner AG',
    };
    const reply = await createRequestRelationshipCommand(deps).run({ event: event(), locale: 'en', isAdmin: false, args: [] });
    invitationId = String(reply.data.invitationId);
    const actions = createInvitationActions(deps);
    click = (name, data, options = {}) =>
      actions[name]!({
        event: { ...event(options.conversationId), isExternal: async () => options.external ?? false },
        locale: 'en',
        isAdmin: options.isAdmin ?? false,
        data: { invitationId, ...data },
      });
  });
  afterEach(() => store.close());

  it('when Edit is clicked, then the same card comes back in edit mode, replacing the clicked one', async () => {
    const reply = await click('invitation.edit', {});
    assert.equal(reply?.template, 'invitation');
    assert.equal(reply?.data.editing, true);
    assert.equal(reply?.updatesCard, true);
  });

  it('when new paragraphs are saved, then they show and the link stays byte-identical', async () => {
    const reply = await click('invitation.save', { paragraph1: ' Hallo! ', paragraph2: '<!channel> **x**' });
    assert.deepEqual(reply?.data.customText, { paragraph1: 'Hallo!', paragraph2: '<!channel> **x**' });
    assert.equal(reply?.data.link, LINK);
    assert.equal(reply?.data.editing, false);
  });

  it('when a non-admin saves for the whole organisation, then it is refused and nothing is saved', async () => {
    const reply = await click('invitation.save', { paragraph1: 'a', paragraph2: 'b', scope: 'tenant' });
    assert.equal(reply?.data.code, 'ACCESS.ADMIN_ONLY');
    assert.equal(await deps.texts.get(event('C2').address), undefined);
  });

  it('when an admin saves for the organisation, then other conversations of the tenant use it', async () => {
    await click('invitation.save', { paragraph1: 'org one', paragraph2: 'org two', scope: 'tenant' }, { isAdmin: true });
    assert.deepEqual(await deps.texts.get(event('C2').address), { paragraph1: 'org one', paragraph2: 'org two' });
  });

  it('when Reset is clicked, then the default text returns', async () => {
    await click('invitation.save', { paragraph1: 'a', paragraph2: 'b' });
    const reply = await click('invitation.reset', {});
    assert.equal(reply?.data.customText, undefined);
  });

  it('when a button of a card from another conversation is clicked, then nothing changes', async () => {
    const reply = await click('invitation.save', { paragraph1: 'a', paragraph2: 'b' }, { conversationId: 'C-other' });
    assert.equal(reply?.data.code, 'INVITATION.NOT_FOUND');
    assert.equal(await deps.texts.get(event('C-other').address), undefined);
  });

  it('when the conversation has let outsiders in since the card was posted, then no button brings the link back', async () => {
    for (const name of ['invitation.edit', 'invitation.copy', 'invitation.cancel', 'invitation.reset', 'invitation.save']) {
      const reply = await click(name, { paragraph1: 'a' }, { external: true });
      assert.equal(reply?.data.code, 'INVITATION.EXTERNAL_CONVERSATION', name);
      assert.doesNotMatch(JSON.stringify(reply), /partnerId=/, name);
    }
  });
});
