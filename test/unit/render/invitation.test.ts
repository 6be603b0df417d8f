import assert from 'node:assert/strict';
import { LOCALES, type Locale, type Reply } from '../../../src/core/chat.ts';
import { strings } from '../../../src/i18n/index.ts';
import { toAdaptiveCard } from '../../../src/render/adaptive-card.ts';
import { toBlockKit } from '../../../src/render/block-kit.ts';
import { DEFAULT_MAX_INERT_LENGTH } from '../../../src/render/inert.ts';
import {
  assertInvitationLink,
  MAILTO_MAX_CHARS,
  toInvitationEmail,
  type InvitationData,
} from '../../../src/render/prepare/invitation.prepare.ts';
import { prepareData, toTemplateData } from '../../../src/render/prepare/index.ts';
import { renderForSlack, renderForTeams } from '../../../src/render/render-reply.ts';
import { INDIRECT_INVITATION_LINK, INVITATION_LINK, invitationData, NASTY_TEXT } from './support/fixtures.ts';
import { findCardProblems } from './support/validate-adaptive-card.ts';

type Json = Record<string, unknown>;

const reply = (data: Json, locale: Locale = 'en'): Reply => ({ template: 'invitation', locale, data });

/** Every object in a JSON tree (depth first), for finding elements wherever the template put them. */
function objectsOf(node: unknown, into: Json[] = []): Json[] {
  if (Array.isArray(node)) node.forEach((item) => objectsOf(item, into));
  else if (typeof node === 'object' && node !== null) {
    into.push(node as Json);
    Object.values(node).forEach((value) => objectsOf(value, into));
  }
  return into;
}

function actionsOf(card: Json): Json[] {
  return card.actions as Json[];
}

function mailtoOf(card: Json): string | undefined {
  return actionsOf(card).find((action) => typeof action.url === 'string' && action.url.startsWith('mailto:'))?.url as string | undefined;
}

function decodeMailto(mailto: string): { subject: string; body: string } {
  const match = /^mailto:\?subject=([^&]*)&body=([^&]*)$/.exec(mailto);
  assert.ok(match, 'mailto:?subject=…&body=… with every & inside the values encoded');
  return { subject: decodeURIComponent(match[1] ?? ''), body: decodeURIComponent(match[2] ?? '') };
}

function emailOf(data: Json, locale: Locale = 'en') {
  const prepared = toTemplateData(reply(data, locale));
  return prepared.email as ReturnType<typeof toInvitationEmail>;
}

// A realistic link whose every reserved character (? & = # / :) and an already percent-encoded part must survive.
const TRICKY_LINK = `${INDIRECT_INVITATION_LINK.replace('#/', '&ref=a%26b%3Dc&x=1#/')}?q=a&b=c`;

describe('invitation card', () => {
  describe('the link', () => {
    for (const link of [INVITATION_LINK, INDIRECT_INVITATION_LINK, TRICKY_LINK]) {
      it(`is byte-identical in the Teams card and in the Slack blocks (${link.slice(-40)})`, () => {
        const data = invitationData({ link, variant: 'indirect', provider: { id: 'p', name: 'Provider' } });
        const card = renderForTeams(reply(data)) as Json;
        const runs = objectsOf(card).filter((node) => node.type === 'TextRun' && String(node.text).startsWith('https://'));
        assert.deepEqual(runs.map((run) => run.text), [link], 'one TextRun shows the link, unchanged');
        const urls = objectsOf(card).filter((node) => node.type === 'Action.OpenUrl' && String(node.url).startsWith('https:')).map((node) => node.url);
        assert.deepEqual(urls, [link, link], 'the link TextRun and "Open link" open exactly the link');
        assert.ok(JSON.stringify(card).includes(link));

        const slack = renderForSlack(reply(data));
        const elements = objectsOf(slack.blocks).filter((node) => node.type === 'text' && String(node.text).startsWith('https://'));
        assert.deepEqual(elements.map((element) => element.text), [link], 'the rich_text text element carries the link verbatim');
        const buttons = objectsOf(slack.blocks).filter((node) => node.type === 'button' && String(node.url).startsWith('https:'));
        assert.deepEqual(buttons.map((button) => button.url), [link]);
        assert.ok(!JSON.stringify(slack.blocks).includes('&amp;'), 'nothing escapes & inside blocks');
      });
    }

    it('is longer than the default inert cap and still shown whole (it is exempt, not cut)', () => {
      const link = `${INVITATION_LINK}&pad=${'a'.repeat(DEFAULT_MAX_INERT_LENGTH)}`;
      assert.ok(link.length > DEFAULT_MAX_INERT_LENGTH);
      const card = toAdaptiveCard(reply(invitationData({ link })));
      assert.equal(actionsOf(card)[0]?.url, link);
      assert.ok(objectsOf(card).some((node) => node.type === 'TextRun' && node.text === link));
      assert.ok(!JSON.stringify(card).includes(`${link.slice(0, 480)}…`));
    });

    it('is refused, never repaired, when it is not a plain https URL; the error does not quote it', () => {
      const secret = '3b33e682-secret';
      const bad = [
        '',
        `http://admin.microsoft.com/?partnerId=${secret}`,
        `javascript:alert('${secret}')`,
        `https://admin.microsoft.com/?partnerId=${secret} x`,
        `https://admin.microsoft.com/?partnerId=${secret}\u202E`,
        `https://admin.microsoft.com/?partnerId=${secret}\n`,
        `https://admin.microsoft.com/?partnerId=${secret}ü`,
        `https://admin.microsoft.com/?partnerId=${secret}&pad=${'a'.repeat(2_100)}`,
        `https://[bad/?${secret}`,
      ];
      for (const link of bad) {
        assert.throws(() => assertInvitationLink(link), (error: Error) => !error.message.includes(secret), JSON.stringify(link.slice(0, 60)));
        assert.throws(() => toAdaptiveCard(reply(invitationData({ link }))), /Card template "invitation" got unusable data: Invitation link/);
      }
      assert.throws(() => assertInvitationLink(undefined), /missing/);
      assert.doesNotThrow(() => assertInvitationLink(TRICKY_LINK));
    });
  });

  describe('the mailto URL', () => {
    for (const locale of LOCALES) {
      for (const variant of ['direct', 'indirect'] as const) {
        it(`decodes back to the whole email with the exact link (${locale}, ${variant}), untruncated with the standard text`, () => {
          const extra = variant === 'indirect' ? { provider: { id: 'p', name: 'Fabrikam Distribution GmbH & Co. KG' }, link: TRICKY_LINK } : {};
          const data = invitationData({ variant, customerLocale: locale, partnerName: 'Müller & Söhne IT-Dienstleistungen GmbH & Co. KG', ...extra });
          const email = emailOf(data);
          const { subject, body } = decodeMailto(email.mailto);
          assert.equal(subject, email.subject);
          assert.equal(body, email.plainText.replace(/\n/g, '\r\n'));
          assert.ok(body.endsWith(`\r\n\r\n${data.link as string}`));
          assert.ok(!body.includes('…'), 'the standard text fits without cutting');
          assert.ok(email.mailto.length <= MAILTO_MAX_CHARS, `${email.mailto.length} characters`);
          assert.doesNotMatch(email.mailto, /[\s]/, 'spaces and line breaks are encoded');
          assert.ok(email.mailto.includes('%20') && email.mailto.includes('%0D%0A%0D%0A'));
          const paragraphs = body.split('\r\n\r\n');
          const texts = strings(locale).invitationEmail;
          assert.equal(paragraphs[paragraphs.length - 2], texts.instruction);
          if (variant === 'indirect') assert.ok(body.includes('Fabrikam Distribution GmbH & Co. KG'));
          assert.equal(mailtoOf(toAdaptiveCard(reply(data, locale === 'en' ? 'de' : 'en'))), email.mailto, 'the card carries the same URL');
        });
      }
    }

    it('stays within 2,000 characters with two 1,000-character paragraphs: both cut alike with "…", the link intact', () => {
      for (const filler of ['a', 'ü', '😀', '&']) {
        const paragraph1 = filler.repeat(1_000);
        const paragraph2 = `short ${NASTY_TEXT}`;
        const data = invitationData({ customText: { paragraph1, paragraph2: paragraph2.repeat(10) }, link: TRICKY_LINK });
        const email = emailOf(data);
        assert.ok(email.mailto.length <= MAILTO_MAX_CHARS, `${filler}: ${email.mailto.length}`);
        assert.ok(email.mailto.length > MAILTO_MAX_CHARS - 60, `${filler}: uses the room it has (${email.mailto.length})`);
        const { body } = decodeMailto(email.mailto);
        const [first, second, instruction, link] = body.split('\r\n\r\n');
        assert.equal(link, TRICKY_LINK);
        assert.equal(instruction, strings('en').invitationEmail.instruction);
        assert.ok(first?.endsWith('…') && paragraph1.startsWith(first.slice(0, -1)), 'paragraph 1 is a cut prefix');
        assert.ok(second !== undefined && email.paragraph2.startsWith(second.replace(/…$/, '')));
        assert.equal(email.paragraph1, paragraph1, 'only the mailto is cut: the card and copy text keep the whole paragraph');
        assert.ok(email.plainText.includes(paragraph1));
      }
    });

    it('is left out, with its button, when even the bare email with the link would be too long', () => {
      const link = `${INVITATION_LINK}&pad=${'x'.repeat(1_800)}`;
      const card = toAdaptiveCard(reply(invitationData({ link })));
      assert.equal(mailtoOf(card), undefined);
      assert.ok(objectsOf(card).some((node) => node.type === 'TextRun' && node.text === link));
      assert.equal(emailOf(invitationData({ link })).mailto, '');
    });
  });

  describe('the email text', () => {
    it('uses the customer language for the email and the conversation language for everything else', () => {
      const card = toAdaptiveCard(reply(invitationData({ customerLocale: 'de' }), 'en'));
      const json = JSON.stringify(card);
      assert.ok(json.includes(strings('en').invitation.title));
      assert.ok(json.includes(`${strings('en').invitation.variant.direct} · ${strings('en').invitation.emailLanguage.de}`));
      assert.ok(json.includes(JSON.stringify(strings('de').invitationEmail.instruction)));
      assert.ok(!json.includes(strings('en').invitationEmail.instruction));
      assert.ok(json.includes(JSON.stringify(strings('en').invitation.seller.reusable).slice(1, -1)));
    });

    it('fills the partner name into the standard first paragraph and the subject, as plain TextRun text', () => {
      const email = emailOf(invitationData({ partnerName: '**Contoso** <!here>', customerLocale: 'de' }));
      assert.equal(email.paragraph1, strings('de').invitationEmail.paragraph1.replace('{partner}', '**Contoso** <!here>'));
      assert.ok(email.subject.startsWith('**Contoso** <!here>'));
      assert.doesNotMatch(JSON.stringify(email), /\{partner\}|\{provider\}/);
    });

    it('replaces both paragraphs with the saved ones, keeping up to 1,000 characters each (not the default 500)', () => {
      const paragraph1 = 'x'.repeat(999) + 'yz';
      const email = emailOf(invitationData({ customText: { paragraph1, paragraph2: 'b'.repeat(800) } }));
      assert.equal(Array.from(email.paragraph1).length, 1_000);
      assert.ok(email.paragraph1.endsWith('…'));
      assert.equal(email.paragraph2, 'b'.repeat(800));
    });

    it('omits an emptied paragraph from the card, the copy text and the mailto', () => {
      const data = invitationData({ customText: { paragraph1: '  ', paragraph2: 'Only this' } });
      const email = emailOf(data);
      assert.equal(email.plainText, ['Only this', email.instruction, INVITATION_LINK].join('\n\n'));
      const card = toAdaptiveCard(reply(data));
      assert.ok(!objectsOf(card).some((node) => node.type === 'TextRun' && node.text === ''));
    });

    it('adds the provider note for the indirect variant, in the email and the seller hints', () => {
      const data = invitationData({ variant: 'indirect', provider: { id: 'p', name: 'Fabrikam' }, customerLocale: 'de' });
      const email = emailOf(data, 'en');
      assert.equal(email.providerNote, strings('de').invitationEmail.providerNote.replace('{provider}', 'Fabrikam'));
      assert.ok(email.plainText.includes(email.providerNote ?? '?'));
      const json = JSON.stringify(toAdaptiveCard(reply(data, 'en')));
      assert.ok(json.includes(strings('en').invitation.seller.indirect));
      assert.ok(json.includes(strings('en').invitation.variant.indirect.replace('{provider}', 'Fabrikam')));
      assert.ok(!JSON.stringify(toAdaptiveCard(reply(invitationData(), 'en'))).includes(strings('en').invitation.seller.indirect));
    });

    it('refuses an indirect invitation without a provider name, and data without an id or a partner name', () => {
      assert.throws(() => toAdaptiveCard(reply(invitationData({ variant: 'indirect' }))), /provider/);
      assert.throws(() => toAdaptiveCard(reply(invitationData({ variant: 'indirect', provider: { id: 'p', name: '\u202E ' } }))), /provider/);
      assert.throws(() => toAdaptiveCard(reply(invitationData({ invitationId: '' }))), /invitationId/);
      assert.throws(() => toAdaptiveCard(reply(invitationData({ partnerName: undefined }))), /partner/);
    });

    it('toInvitationEmail gives the Slack edge the same text from raw data, made inert', () => {
      const raw = invitationData({ partnerName: 'Con\u202Etoso\u0007', customText: { paragraph1: 'a\r\nb\u2066', paragraph2: 'c' } }) as unknown as InvitationData;
      const email = toInvitationEmail(raw, strings('en'));
      assert.equal(email.paragraph1, 'a\nb');
      assert.ok(email.subject.startsWith('Contoso:'));
      assert.deepEqual(email, emailOf(raw as unknown as Json));
      assert.equal(email.link, INVITATION_LINK);
    });
  });

  describe('actions', () => {
    const open = { type: 'Action.OpenUrl', title: 'Open link', url: INVITATION_LINK, style: 'positive' };
    const edit = { type: 'Action.Submit', title: 'Edit text', data: { action: 'invitation.edit', invitationId: 'inv-4f2a9c' } };
    const reset = { type: 'Action.Submit', title: 'Reset text', data: { action: 'invitation.reset', invitationId: 'inv-4f2a9c' } };

    it('offers open, email, copy and edit; reset only with saved text', () => {
      const standard = actionsOf(toAdaptiveCard(reply(invitationData())));
      assert.deepEqual(standard.map((action) => action.title), ['Open link', 'Email to customer', 'Copy text', 'Edit text']);
      assert.deepEqual(standard[0], open);
      assert.deepEqual(standard[3], edit);
      const copy = standard[2] as Json;
      assert.equal(copy.type, 'Action.ShowCard');
      assert.deepEqual(copy.data, { action: 'invitation.copy', invitationId: 'inv-4f2a9c' });
      const runs = objectsOf(copy.card).filter((node) => node.type === 'TextRun');
      assert.equal(runs.length, 1);
      assert.equal(runs[0]?.fontType, 'Monospace');
      assert.equal(runs[0]?.text, emailOf(invitationData()).plainText);

      const custom = actionsOf(toAdaptiveCard(reply(invitationData({ customText: { paragraph1: 'a', paragraph2: 'b' } }))));
      assert.deepEqual(custom.map((action) => action.title), ['Open link', 'Email to customer', 'Copy text', 'Edit text', 'Reset text']);
      assert.deepEqual(custom[4], reset);
    });

    it('shows inputs instead of the paragraphs when editing, with save (conversation / tenant) and cancel', () => {
      const data = invitationData({ editing: true, canEditForTenant: true, customText: { paragraph1: 'One', paragraph2: 'Two' } });
      const card = toAdaptiveCard(reply(data));
      assert.deepEqual(findCardProblems(card), []);
      const inputs = objectsOf(card.body).filter((node) => node.type === 'Input.Text');
      assert.deepEqual(
        inputs.map(({ id, value, maxLength, isMultiline }) => ({ id, value, maxLength, isMultiline })),
        [
          { id: 'paragraph1', value: 'One', maxLength: 1000, isMultiline: true },
          { id: 'paragraph2', value: 'Two', maxLength: 1000, isMultiline: true },
        ],
      );
      assert.ok(inputs.every((input) => typeof input.label === 'string' && input.label !== ''));
      assert.ok(!objectsOf(card.body).some((node) => node.type === 'TextRun' && (node.text === 'One' || node.text === 'Two')));
      assert.ok(objectsOf(card.body).some((node) => node.type === 'TextRun' && node.text === INVITATION_LINK), 'the link stays visible');
      assert.deepEqual(actionsOf(card), [
        { type: 'Action.Submit', title: 'Save for this conversation', style: 'positive', data: { action: 'invitation.save', invitationId: 'inv-4f2a9c', scope: 'conversation' } },
        { type: 'Action.Submit', title: 'Save for the whole organization', data: { action: 'invitation.save', invitationId: 'inv-4f2a9c', scope: 'tenant' } },
        { type: 'Action.Submit', title: 'Cancel', associatedInputs: 'none', data: { action: 'invitation.cancel', invitationId: 'inv-4f2a9c' } },
      ]);
      const memberCard = toAdaptiveCard(reply({ ...data, canEditForTenant: false }));
      assert.deepEqual(actionsOf(memberCard).map((action) => (action.data as Json).scope ?? (action.data as Json).action), ['conversation', 'invitation.cancel']);
    });

    it('edits the standard text when nothing is saved (the inputs start with it)', () => {
      const card = toAdaptiveCard(reply(invitationData({ editing: true, customerLocale: 'de' })));
      const values = objectsOf(card.body).filter((node) => node.type === 'Input.Text').map((node) => node.value);
      const email = emailOf(invitationData({ customerLocale: 'de' }));
      assert.deepEqual(values, [email.paragraph1, email.paragraph2]);
    });

    it('become Slack buttons whose values carry the same data; Copy text names its action and invitation', () => {
      const slack = renderForSlack(reply(invitationData({ customText: { paragraph1: 'a', paragraph2: 'b' } })));
      const buttons = objectsOf(slack.blocks).filter((node) => node.type === 'button');
      assert.deepEqual(
        buttons.map((button) => [button.action_id, button.value === undefined ? undefined : JSON.parse(String(button.value))]),
        [
          ['openUrl', undefined],
          ['openUrl#2', undefined],
          ['invitation.copy', { action: 'invitation.copy', invitationId: 'inv-4f2a9c', card: 'invitation.copy' }],
          ['invitation.edit', { action: 'invitation.edit', invitationId: 'inv-4f2a9c' }],
          ['invitation.reset', { action: 'invitation.reset', invitationId: 'inv-4f2a9c' }],
        ],
      );
      assert.ok(String(buttons[1]?.url).startsWith('mailto:?subject='));
    });
  });

  describe('untrusted text', () => {
    const data = invitationData({
      partnerName: NASTY_TEXT,
      variant: 'indirect',
      provider: { id: 'p', name: NASTY_TEXT },
      customText: { paragraph1: NASTY_TEXT, paragraph2: `x ${NASTY_TEXT}` },
    });

    for (const locale of LOCALES) {
      it(`stays in TextRuns on Teams and in text elements on Slack, never in Markdown (${locale})`, () => {
        const card = toAdaptiveCard(reply(data, locale));
        for (const node of objectsOf(card)) {
          for (const [key, value] of Object.entries(node)) {
            if (typeof value !== 'string' || !value.includes('<!channel>')) continue;
            assert.ok(node.type === 'TextRun' && key === 'text', `untrusted text in ${String(node.type)}.${key}`);
          }
        }
        assert.doesNotMatch(JSON.stringify(card), /\u202E/);
        const slack = toBlockKit(card);
        for (const node of objectsOf(slack.blocks)) {
          for (const [key, value] of Object.entries(node)) {
            if (typeof value !== 'string' || !value.includes('<!channel>')) continue;
            assert.ok(node.type === 'text' && key === 'text', `untrusted text in Slack ${String(node.type)}.${key}`);
          }
        }
        assert.ok(!JSON.stringify(slack.blocks).includes('mrkdwn'));
        assert.doesNotMatch(slack.text, /<!channel>/);
        // In the mailto it is percent-encoded: inert too.
        assert.ok(!String(mailtoOf(card)).includes('<'));
      });
    }
  });
});

describe('prepareData', () => {
  it('registers the invitation preparer and leaves other templates to plain toInertData', () => {
    assert.ok(Object.hasOwn(prepareData, 'invitation'));
    assert.deepEqual(toTemplateData({ template: 'error', locale: 'en', data: { detail: 'a\u202Eb', n: 1 } }), { detail: 'ab', n: 1 });
    assert.deepEqual(toTemplateData({ template: 'constructor', locale: 'en', data: { x: 'y' } }), { x: 'y' });
  });

  it('cannot replace t or locale through its computed data', () => {
    const card = toAdaptiveCard(reply({ ...invitationData(), t: { invitation: { title: 'hijacked' } }, locale: 'xx' }, 'de'));
    assert.ok(JSON.stringify(card).includes(strings('de').invitation.title));
    assert.ok(!JSON.stringify(card).includes('hijacked'));
  });
});
