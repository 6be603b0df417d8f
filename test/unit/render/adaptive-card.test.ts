import assert from 'node:assert/strict';
import { Template } from 'adaptivecards-templating/lib/template-engine.js';
import { strings } from '../../../src/i18n/index.ts';
import { toAdaptiveCard } from '../../../src/render/adaptive-card.ts';
import { formatNumbers, registerExpressionFunctions } from '../../../src/render/expression-functions.ts';
import { listTemplates, loadTemplate } from '../../../src/render/templates.ts';

describe('toAdaptiveCard', () => {
  it('throws for a template that does not exist, and for names that could leave cards/', () => {
    assert.throws(() => toAdaptiveCard({ template: 'no-such-card', locale: 'en', data: {} }), /Unknown card template "no-such-card"/);
    assert.throws(() => toAdaptiveCard({ template: '../package', locale: 'en', data: {} }), /Invalid card template name/);
  });

  it('names the template when its data does not fit', () => {
    assert.throws(() => toAdaptiveCard({ template: 'help', locale: 'en', data: {} }), /Card template "help" failed to expand/);
  });

  it('gives templates the strings of the reply locale, which data cannot replace', () => {
    const card = toAdaptiveCard({ template: 'language', locale: 'de', data: { language: 'de', t: { language: { title: 'hijacked' } } } });
    assert.ok(JSON.stringify(card).includes(strings('de').language.title));
    assert.ok(!JSON.stringify(card).includes('hijacked'));
  });

  it('makes every data string inert before expansion', () => {
    const card = toAdaptiveCard({ template: 'error', locale: 'en', data: { code: 'COMMAND.UNKNOWN', detail: 'a\u202Eb\u0007c' } });
    assert.ok(JSON.stringify(card).includes('"text":"abc"'));
  });
});

describe('templates', () => {
  it('lists the cards and caches what it loaded', () => {
    assert.ok(listTemplates().includes('help'));
    assert.equal(loadTemplate('help'), loadTemplate('help'));
  });
});

describe('fmt()', () => {
  before(registerExpressionFunctions);

  it('fills numbers into our strings, by object or by name/value pairs', () => {
    const template = new Template({ a: "${fmt('{n} of {m}', $root)}", b: "${fmt('{count} days', 'count', count(days))}" });
    assert.deepEqual(template.expand({ $root: { n: 2, m: 7, days: [1, 2, 3] } }), { a: '2 of 7', b: '3 days' });
  });

  it('never fills in strings, so untrusted text cannot reach a Markdown TextBlock through it', () => {
    assert.equal(formatNumbers('{name} has {n}', { name: '**evil**', n: 1 }), '{name} has 1');
    assert.equal(formatNumbers('{n}', { n: Number.NaN }), '{n}');
    assert.equal(formatNumbers('{toString}', {}), '{toString}');
  });
});
