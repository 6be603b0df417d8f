import assert from 'node:assert/strict';
import { LOCALES } from '../../../src/core/chat.ts';
import { strings } from '../../../src/i18n/index.ts';
import { SLACK_MODAL_TITLE_MAX_CHARS, toInvitationEditModal, toInvitationTextModal } from '../../../src/render/invitation-modal.ts';
import { toInvitationEmail, type InvitationData } from '../../../src/render/prepare/invitation.prepare.ts';
import { INVITATION_LINK, invitationData, NASTY_TEXT } from './support/fixtures.ts';

type Json = Record<string, unknown>;

const textOf = (object: unknown) => (object as { type: string; text: string }).text;

describe('toInvitationEditModal', () => {
  for (const locale of LOCALES) {
    for (const canEditForTenant of [false, true]) {
      it(`builds a views.open modal within Slack's limits (${locale}, tenant ${canEditForTenant})`, () => {
        const view = toInvitationEditModal({ invitationId: 'inv-1', paragraph1: 'First', paragraph2: 'Second', canEditForTenant, locale });
        assert.equal(view.type, 'modal');
        assert.equal(view.callback_id, 'invitation.save');
        assert.deepEqual(JSON.parse(String(view.private_metadata)), { invitationId: 'inv-1' });
        for (const key of ['title', 'submit', 'close']) {
          const text = view[key] as { type: string; text: string };
          assert.equal(text.type, 'plain_text');
          assert.ok(text.text.length > 0 && text.text.length <= SLACK_MODAL_TITLE_MAX_CHARS, `${key} "${text.text}"`);
        }
        const t = strings(locale).invitation.edit;
        assert.equal(textOf(view.title), t.modalTitle, 'the localized title fits without cutting');
        const blocks = view.blocks as Json[];
        assert.ok(blocks.length <= 100);
        const inputs = blocks.filter((block) => block.type === 'input');
        assert.deepEqual(
          inputs.map((block) => [block.block_id, (block.element as Json).action_id, (block.element as Json).type]),
          [
            ['paragraph1', 'paragraph1', 'plain_text_input'],
            ['paragraph2', 'paragraph2', 'plain_text_input'],
            ...(canEditForTenant ? [['scope', 'scope', 'radio_buttons']] : []),
          ],
        );
        const [first, second] = inputs.map((block) => block.element as Json);
        assert.deepEqual(first, { type: 'plain_text_input', action_id: 'paragraph1', multiline: true, max_length: 1000, initial_value: 'First' });
        assert.equal(second?.initial_value, 'Second');
        assert.equal(textOf(inputs[0]?.label), t.paragraph1Label);
        assert.ok(inputs.slice(0, 2).every((block) => block.optional === true), 'a paragraph may be cleared');
        if (canEditForTenant) {
          const radio = inputs[2]?.element as { options: Json[]; initial_option: Json };
          assert.deepEqual(radio.options.map((option) => option.value), ['conversation', 'tenant']);
          assert.deepEqual(radio.options.map((option) => textOf(option.text)), [t.scopeConversation, t.scopeTenant]);
          assert.equal(radio.initial_option.value, 'conversation');
          assert.ok(radio.options.every((option) => textOf(option.text).length <= 75));
        }
        assert.ok(!JSON.stringify(view).includes('mrkdwn'));
      });
    }
  }

  it('keeps untrusted paragraphs as plain initial values, inert and capped at 1,000 characters', () => {
    const view = toInvitationEditModal({ invitationId: 'i', paragraph1: `${NASTY_TEXT}\u0007`, paragraph2: 'z'.repeat(1_500), locale: 'en' });
    const [first, second] = (view.blocks as Json[]).filter((block) => block.type === 'input').map((block) => block.element as Json);
    assert.equal(first?.initial_value, NASTY_TEXT.replace('\u202E', ''));
    assert.equal(Array.from(String(second?.initial_value)).length, 1_000);
  });

  it('leaves out the initial value of an empty paragraph (Slack refuses an empty one)', () => {
    const view = toInvitationEditModal({ invitationId: 'i', paragraph1: '', paragraph2: 'b', locale: 'de' });
    const [first] = (view.blocks as Json[]).filter((block) => block.type === 'input').map((block) => block.element as Json);
    assert.ok(first && !('initial_value' in first));
  });

  it('takes its paragraphs from toInvitationEmail, so Slack edits the same text Teams shows', () => {
    const data = invitationData({ customerLocale: 'de' }) as unknown as InvitationData;
    const email = toInvitationEmail(data, strings(data.customerLocale));
    const view = toInvitationEditModal({ invitationId: data.invitationId, paragraph1: email.paragraph1, paragraph2: email.paragraph2, locale: 'en' });
    const values = (view.blocks as Json[]).filter((block) => block.type === 'input').map((block) => (block.element as Json).initial_value);
    assert.deepEqual(values, [email.paragraph1, email.paragraph2]);
  });

  it('refuses a missing invitationId', () => {
    assert.throws(() => toInvitationEditModal({ invitationId: '', paragraph1: '', paragraph2: '', locale: 'en' }), /invitationId/);
  });
});

describe('toInvitationTextModal', () => {
  for (const locale of LOCALES) {
    it(`shows the whole email as one preformatted block, the link as its own element (${locale})`, () => {
      const data = invitationData({ customText: { paragraph1: 'p'.repeat(1_000), paragraph2: NASTY_TEXT } }) as unknown as InvitationData;
      const email = toInvitationEmail(data, strings('en'));
      const view = toInvitationTextModal({ plainText: email.plainText, locale });
      assert.equal(view.type, 'modal');
      assert.equal(textOf(view.title), strings(locale).invitation.copy.modalTitle);
      assert.ok(textOf(view.title).length <= SLACK_MODAL_TITLE_MAX_CHARS && textOf(view.close).length <= SLACK_MODAL_TITLE_MAX_CHARS);
      const preformatted = (view.blocks as { elements: { type: string; elements: { type: string; text: string }[] }[] }[])
        .flatMap((block) => block.elements)
        .find((element) => element.type === 'rich_text_preformatted');
      assert.ok(preformatted);
      assert.equal(preformatted.elements.map((element) => element.text).join(''), email.plainText);
      assert.ok(preformatted.elements.some((element) => element.text === INVITATION_LINK));
      assert.ok(preformatted.elements.every((element) => element.type === 'text' && element.text.length <= 3_000));
      assert.ok(!JSON.stringify(view).includes('mrkdwn'));
    });
  }
});
