import assert from 'node:assert/strict';
import { LOCALES, type Reply } from '../../../src/core/chat.ts';
import { strings } from '../../../src/i18n/index.ts';
import { toAdaptiveCard } from '../../../src/render/adaptive-card.ts';
import { toBlockKit } from '../../../src/render/block-kit.ts';
import { assertSlackWithinBudgets, assertTeamsWithinBudgets } from '../../../src/render/budgets.ts';
import { listTemplates } from '../../../src/render/templates.ts';
import { FIXTURES, GOLDEN_VARIANTS, VARIANTS } from './support/fixtures.ts';
import { findCardProblems } from './support/validate-adaptive-card.ts';

const SAMPLES: Reply[] = [
  ...listTemplates().flatMap((template) => LOCALES.map((locale) => ({ template, locale, data: FIXTURES[template]?.(locale) ?? {} }))),
  ...Object.values(GOLDEN_VARIANTS).flatMap(({ template, data }) => LOCALES.map((locale) => ({ template, locale, data: data(locale) }))),
  ...VARIANTS.flatMap((variant) => LOCALES.map((locale) => ({ ...variant, locale }))),
];

describe('card templates', () => {
  it('has a fixture for every template in cards/', () => {
    assert.deepEqual(listTemplates(), Object.keys(FIXTURES).sort());
  });

  for (const reply of SAMPLES) {
    describe(`${reply.template} (${reply.locale}) with ${JSON.stringify(reply.data).slice(0, 60)}`, () => {
      it('expands to an Adaptive Card 1.5 the official parser accepts without events', () => {
        const card = toAdaptiveCard(reply);
        assert.equal(card.version, '1.5');
        assert.equal(card.$schema, 'http://adaptivecards.io/schemas/adaptive-card.json');
        assert.deepEqual(findCardProblems(card), []);
      });

      it('leaves no unresolved ${…} expression (a missing string or field)', () => {
        const json = JSON.stringify(toAdaptiveCard(reply));
        assert.doesNotMatch(json, /\$\{/);
      });

      it('stays within the Teams and Slack size budgets', () => {
        const card = toAdaptiveCard(reply);
        assertTeamsWithinBudgets(card);
        assertSlackWithinBudgets(toBlockKit(card));
      });
    });
  }

  it('shows the localized title of a known error code and the generic one for an unknown code', () => {
    for (const locale of LOCALES) {
      const known = JSON.stringify(toAdaptiveCard({ template: 'error', locale, data: { code: 'ACCESS.ADMIN_ONLY' } }));
      assert.ok(known.includes(JSON.stringify(strings(locale).errors['ACCESS.ADMIN_ONLY'].title)));
      const unknown = JSON.stringify(toAdaptiveCard({ template: 'error', locale, data: { code: 'NO.SUCH_CODE' } }));
      assert.ok(unknown.includes(JSON.stringify(strings(locale).errors['INTERNAL.UNEXPECTED'].title)));
    }
  });

  it('lists German aliases in help only when the card is German', () => {
    const data = FIXTURES.help?.('en') ?? {};
    assert.ok(JSON.stringify(toAdaptiveCard({ template: 'help', locale: 'de', data })).includes('beziehung anfordern'));
    assert.ok(!JSON.stringify(toAdaptiveCard({ template: 'help', locale: 'en', data })).includes('beziehung anfordern'));
  });

  it('turns each suggestion into a command button', () => {
    const card = toAdaptiveCard({ template: 'error', locale: 'en', data: { code: 'COMMAND.UNKNOWN', suggestions: ['help', 'status'] } });
    const actionSet = (card.body as { type: string; actions?: unknown[] }[]).find((element) => element.type === 'ActionSet');
    assert.deepEqual(actionSet?.actions, [
      { type: 'Action.Submit', title: 'help', data: { action: 'command', text: 'help' } },
      { type: 'Action.Submit', title: 'status', data: { action: 'command', text: 'status' } },
    ]);
  });
});
