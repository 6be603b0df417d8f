import assert from 'node:assert/strict';
import { prepareData } from '../../../src/render/prepare/index.ts';
import { LOCALES } from '../../../src/core/chat.ts';
import { resolveLocale, strings, translate } from '../../../src/i18n/index.ts';
import { listTemplates, loadTemplate } from '../../../src/render/templates.ts';

const CONTRACT_COMMAND_KEYS = ['help', 'request-relationship', 'subscribe', 'unsubscribe', 'subscriptions', 'status', 'restore', 'pending', 'history', 'language'];
const ERROR_CODES = ['COMMAND.UNKNOWN', 'ACCESS.TENANT_NOT_ALLOWED', 'ACCESS.ADMIN_ONLY', 'INTERNAL.UNEXPECTED', 'LANGUAGE.INVALID'];

/** `path → value` for every leaf; keys that contain dots (error codes) are bracketed to stay unambiguous. */
function flatten(node: unknown, prefix: string[] = [], into = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) flatten(value, [...prefix, key], into);
  } else {
    into.set(JSON.stringify(prefix), node);
  }
  return into;
}

/** Static `t.a.b['c.d']` paths in a template; a computed index (`t.errors[string(code)]`) ends the path. */
function findStringPaths(template: object): string[][] {
  const text = JSON.stringify(template).replace(/\\"/g, '"');
  const references = text.matchAll(/(?:\$root\.|(?<![\w$.]))t((?:\.[A-Za-z_]\w*|\['[^']*'\])+)/g);
  return [...references].map(([, chain]) => [...(chain ?? '').matchAll(/\.([A-Za-z_]\w*)|\['([^']*)'\]/g)].map((m) => m[1] ?? m[2] ?? ''));
}

function lookup(root: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), root);
}

describe('i18n strings', () => {
  it('has the same keys in every language', () => {
    const [first, ...others] = LOCALES.map((locale) => [...flatten(strings(locale)).keys()].sort());
    for (const keys of others) assert.deepEqual(keys, first);
  });

  it('has only non-empty strings, with the same {placeholders} and paired ** markers in every language', () => {
    const english = flatten(strings('en'));
    for (const locale of LOCALES) {
      for (const [path, value] of flatten(strings(locale))) {
        assert.ok(typeof value === 'string' && value.trim() !== '', `${locale} ${path} is empty or not a string`);
        assert.equal((value.match(/\*\*/g) ?? []).length % 2, 0, `${locale} ${path} has an unpaired **`);
        const placeholders = (text: unknown) => String(text).match(/\{\w+\}/g)?.sort() ?? [];
        assert.deepEqual(placeholders(value), placeholders(english.get(path)), `${locale} ${path} placeholders`);
      }
    }
  });

  it('has every t.* path that a template uses, in every language', () => {
    for (const template of listTemplates()) {
      const paths = findStringPaths(loadTemplate(template));
      // A template whose text is all assembled by its prepare step (timeline-update) needs no t.* path.
      if (!Object.hasOwn(prepareData, template)) assert.ok(paths.length > 0, `cards/${template}.json uses no strings?`);
      for (const path of paths) {
        for (const locale of LOCALES) assert.notEqual(lookup(strings(locale), path), undefined, `cards/${template}.json: t.${path.join('.')} missing in ${locale}`);
      }
    }
  });

  it('describes every contract command and titles every known error code', () => {
    for (const locale of LOCALES) {
      const localized = strings(locale);
      for (const key of CONTRACT_COMMAND_KEYS) assert.ok(lookup(localized, ['commands', key]), `${locale}: commands.${key}`);
      for (const code of ERROR_CODES) {
        assert.ok(lookup(localized, ['errors', code, 'title']), `${locale}: errors.${code}.title`);
        assert.ok(lookup(localized, ['errors', code, 'message']), `${locale}: errors.${code}.message`);
      }
    }
  });

  it('keeps the invitation texts that Slack limits short enough to show uncut', () => {
    for (const locale of LOCALES) {
      const { invitation } = strings(locale);
      for (const text of [invitation.edit.modalTitle, invitation.edit.modalSubmit, invitation.edit.modalClose, invitation.copy.modalTitle, invitation.copy.modalClose]) {
        assert.ok(text.length <= 24, `${locale}: "${text}" is longer than a Slack modal title (24)`);
      }
      const buttons = [...Object.values(invitation.actions), invitation.edit.saveConversation, invitation.edit.saveTenant, invitation.edit.cancel];
      for (const text of [...buttons, invitation.edit.scopeConversation, invitation.edit.scopeTenant]) {
        assert.ok(text.length <= 75, `${locale}: "${text}" is longer than a Slack button or option (75)`);
      }
    }
  });

  it('writes the customer email and the invitation summary as plain text: no Markdown, and the placeholders the prepare step fills', () => {
    for (const locale of LOCALES) {
      const email = strings(locale).invitationEmail;
      // These land in TextRuns, which show Markdown literally.
      const { variant, emailLanguage, subjectLabel } = strings(locale).invitation;
      const plain = { ...email, ...variant, ...emailLanguage, subjectLabel };
      for (const [key, text] of Object.entries(plain)) assert.doesNotMatch(text, /\*\*|\]\(|[<>_`]/, `${locale} ${key}`);
      assert.ok(email.paragraph1.includes('{partner}') && email.subject.includes('{partner}') && email.providerNote.includes('{provider}'));
      assert.ok(strings(locale).invitation.variant.indirect.includes('{provider}'));
    }
  });
});

describe('translate', () => {
  it('looks up plain text per locale, error codes with dots included', () => {
    assert.equal(translate('de', 'errors.COMMAND.UNKNOWN.title'), strings('de').errors['COMMAND.UNKNOWN'].title);
    assert.equal(translate('en', 'help.title'), strings('en').help.title);
  });

  it('returns the key for a string nobody wrote', () => {
    assert.equal(translate('de', 'no.such.key'), 'no.such.key');
  });
});

describe('resolveLocale', () => {
  it('maps German and English locale tags, and nothing else', () => {
    for (const tag of ['de', 'de-DE', 'de-AT', 'de-CH', 'DE_at']) assert.equal(resolveLocale(tag), 'de');
    for (const tag of ['en', 'en-US', 'en-GB', 'EN']) assert.equal(resolveLocale(tag), 'en');
    for (const tag of ['fr', 'fr-DE', 'deu', 'english', '', undefined]) assert.equal(resolveLocale(tag), undefined);
  });
});
