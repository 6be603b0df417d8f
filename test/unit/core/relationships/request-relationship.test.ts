import assert from 'node:assert/strict';
import type { ChatEvent } from '../../../../src/core/chat.ts';
import { AppError } from '../../../../src/core/errors.ts';
import type { Store } from '../../../../src/core/ports.ts';
import { createInvitationRequests } from '../../../../src/core/relationships/invitation-requests.ts';
import { createInvitationTexts } from '../../../../src/core/relationships/invitation-texts.ts';
import { parseInvitationArgs } from '../../../../src/core/relationships/parse-invitation-args.ts';
import type { Customer, IndirectProvider, PartnerCenter } from '../../../../src/core/relationships/partner-center.port.ts';
import { createRelationshipLinkSource, toIndirectLink } from '../../../../src/core/relationships/relationship-link.ts';
import { createRequestRelationshipCommand } from '../../../../src/core/relationships/request-relationship.command.ts';
import { createStore } from '../../../../src/store/create-store.ts';

const LINK = 'https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=3b33e682-00c3-41ee-9dd2-a548adf56438&msppId=0&DAP=false#/BillingAccounts/partner-invitation';
const PROVIDERS: IndirectProvider[] = [
  { id: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Northwind Distribution GmbH' },
  { id: 'aaaaaaaa-0000-0000-0000-000000000002', name: 'Fabrikam Cloud Distribution Ltd' },
];

/** An in-memory stand-in for the Partner Center port that counts calls and can fail on demand. */
function fakePartnerCenter() {
  const calls: string[] = [];
  let failure: Error | undefined;
  const partnerCenter: PartnerCenter = {
    async getRelationshipRequestUrl() {
      calls.push('url');
      if (failure) throw failure;
      return LINK;
    },
    async listIndirectProviders() {
      calls.push('providers');
      return PROVIDERS;
    },
    async getCustomer(): Promise<Customer> {
      throw new Error('not used');
    },
    async *listCustomers() {
      yield [];
    },
  };
  return { partnerCenter, calls, failWith: (error: Error) => (failure = error) };
}

const event = (text: string, external = false): ChatEvent => ({
  address: { platform: 'slack', tenantId: 'T1', conversationId: 'C1', kind: 'channel' },
  user: { id: 'U1', name: 'Ada' },
  text,
  isExternal: async () => external,
});

describe('request relationship', () => {
  let store: Store;
  let fake: ReturnType<typeof fakePartnerCenter>;
  let run: (args: string[], external?: boolean) => ReturnType<ReturnType<typeof createRequestRelationshipCommand>['run']>;

  beforeEach(async () => {
    store = await createStore('sqlite://:memory:');
    fake = fakePartnerCenter();
    const command = createRequestRelationshipCommand({
      partnerCenter: fake.partnerCenter,
      links: createRelationshipLinkSource(fake.partnerCenter, store, 60_000),
      texts: createInvitationTexts(store),
      requests: createInvitationRequests(store, () => Date.parse('2026-11-25T10:00:00Z')),
      partnerName: 'Contoso Partner AG',
    });
    run = (args, external = false) => command.run({ event: event(args.join(' '), external), locale: 'en', isAdmin: false, args });
  });
  afterEach(() => store.close());

  it('when asked, then the reply carries the link exactly as Partner Center returned it and a stored request', async () => {
    const reply = await run([]);
    assert.equal(reply.template, 'invitation');
    assert.equal(reply.data.link, LINK);
    assert.equal(reply.data.variant, 'direct');
    assert.equal(reply.data.customerLocale, 'en');
    const stored = await createInvitationRequests(store, Date.now).get(String(reply.data.invitationId));
    assert.equal(stored?.requestedBy.id, 'U1');
    assert.equal(stored?.requestedAt, '2026-11-25T10:00:00.000Z');
  });

  it('when asked twice, then Partner Center is called once (the link is cached)', async () => {
    await run([]);
    await run([]);
    assert.deepEqual(fake.calls, ['url']);
  });

  it('when lang de is given, then the email is German while the card stays in the conversation language', async () => {
    const reply = await run(['lang', 'de']);
    assert.equal(reply.locale, 'en');
    assert.equal(reply.data.customerLocale, 'de');
  });

  it('when indirect names a provider, then the link gains its id before the fragment', async () => {
    const reply = await run(['indirect', 'northwind']);
    assert.equal(reply.data.variant, 'indirect');
    assert.deepEqual(reply.data.provider, { id: PROVIDERS[0]?.id, name: PROVIDERS[0]?.name });
    assert.equal(reply.data.link, toIndirectLink(LINK, PROVIDERS[0]?.id ?? ''));
  });

  it('when the provider is unknown or ambiguous, then the answer lists the known ones', async () => {
    for (const wanted of ['adventure works', 'distribution']) {
      const reply = await run(['indirect', ...wanted.split(' ')]);
      assert.equal(reply.data.code, 'INVITATION.PROVIDER_NOT_FOUND');
      assert.match(String(reply.data.detail), /Northwind Distribution GmbH, Fabrikam/);
    }
  });

  it('when the conversation has outside members, then the link is not posted', async () => {
    const reply = await run([], true);
    assert.equal(reply.data.code, 'INVITATION.EXTERNAL_CONVERSATION');
    assert.deepEqual(fake.calls, []);
  });

  it('when Partner Center fails, then the answer is the translated failure with a correlation id', async () => {
    fake.failWith(new AppError('PARTNER_CENTER.CONSENT_EXPIRED'));
    const reply = await run([]);
    assert.equal(reply.data.code, 'PARTNER_CENTER.CONSENT_EXPIRED');
    assert.match(String(reply.data.correlationId), /^[0-9a-f-]{36}$/);
  });

  it('when the arguments are not understood, then the answer says which word', async () => {
    const reply = await run(['lang', 'fr']);
    assert.equal(reply.data.code, 'INVITATION.BAD_ARGUMENTS');
    assert.equal(reply.data.detail, 'lang fr');
  });

  it('when custom paragraphs exist, then the conversation’s own win over the tenant’s', async () => {
    const texts = createInvitationTexts(store);
    const address = event('').address;
    await texts.save(address, 'tenant', { paragraph1: 'tenant one', paragraph2: 'tenant two' });
    assert.deepEqual((await run([])).data.customText, { paragraph1: 'tenant one', paragraph2: 'tenant two' });
    await texts.save(address, 'conversation', { paragraph1: 'mine', paragraph2: 'x'.repeat(5000) });
    const reply = await run([]);
    assert.equal((reply.data.customText as { paragraph1: string }).paragraph1, 'mine');
    assert.equal((reply.data.customText as { paragraph2: string }).paragraph2.length, 1000);
    assert.equal(reply.data.link, LINK, 'the link is never part of the editable text');
  });
});

describe('parseInvitationArgs', () => {
  it('reads indirect with a multi-word provider and lang in either order', () => {
    assert.deepEqual(parseInvitationArgs(['indirect', 'Northwind', 'GmbH', 'lang', 'DE']), { ok: true, args: { indirect: true, provider: 'Northwind GmbH', customerLocale: 'de' } });
    assert.deepEqual(parseInvitationArgs(['sprache', 'en', 'indirekt', 'x']), { ok: true, args: { indirect: true, provider: 'x', customerLocale: 'en' } });
    assert.deepEqual(parseInvitationArgs([]), { ok: true, args: { indirect: false } });
    assert.deepEqual(parseInvitationArgs(['please']), { ok: false, problem: 'please' });
  });
});

describe('toIndirectLink', () => {
  it('adds the provider before the fragment and keeps the rest byte for byte', () => {
    const result = toIndirectLink(LINK, 'prov-1');
    assert.equal(result, LINK.replace('#/', '&indirectCSPId=prov-1#/'));
    assert.equal(toIndirectLink('https://x.example/a', 'p'), 'https://x.example/a?indirectCSPId=p');
  });
});

describe('createRelationshipLinkSource', () => {
  it('when a minute has passed, then the process reads the shared store again rather than its own copy', async () => {
    const store = await createStore('sqlite://:memory:');
    let now = 1_000_000;
    let served = 'https://admin.microsoft.com/first';
    const partnerCenter = { getRelationshipRequestUrl: async () => served } as unknown as PartnerCenter;
    const source = createRelationshipLinkSource(partnerCenter, store, 6 * 60 * 60_000, () => now);
    const context = { locale: 'en' as const, correlationId: 'c' };
    assert.equal(await source.getLink(context), 'https://admin.microsoft.com/first');
    served = 'https://admin.microsoft.com/second';
    await store.namespace<string>('partner-center-cache').set('relationship-request-url', 'https://admin.microsoft.com/shared');
    assert.equal(await source.getLink(context), 'https://admin.microsoft.com/first', 'within the minute: the local copy');
    now += 61_000;
    assert.equal(await source.getLink(context), 'https://admin.microsoft.com/shared', 'after it: the shared store');
    await store.close();
  });
});
