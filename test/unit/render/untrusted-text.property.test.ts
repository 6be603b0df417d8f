import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Reply } from '../../../src/core/chat.ts';
import { toAdaptiveCard } from '../../../src/render/adaptive-card.ts';
import { toBlockKit } from '../../../src/render/block-kit.ts';
import { toInertText } from '../../../src/render/inert.ts';
import { invitationData } from './support/fixtures.ts';

const NASTY_CASES = ['<!channel>', '<https://x|y>', '[a](https://x)', '**b**', '<@U123>', '&lt;', '\u202Etxet', '${t.help.title}', '<!here|here> & <#C1>'];
const PIECES = [...NASTY_CASES, '\u2066', '\u200F', '\u0000', '\u0085', '\r\n', '_i_', '~s~', '`c`', '&', '<', '>', 'a', ' '];
// Sentinels around the value make every place it lands findable, whatever the random part is.
const OPEN = 'QZXO';
const CLOSE = 'OXZQ';
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BIDI_OR_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

const untrustedText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(...NASTY_CASES),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((pieces) => pieces.join('')),
);

interface Placed {
  text: string;
  key: string;
  owner: Record<string, unknown>;
}

/** Every string in a JSON tree with the key it sits under and the object that holds it. */
function collectStrings(node: unknown, into: Placed[] = [], owner: Record<string, unknown> = {}, key = ''): Placed[] {
  if (typeof node === 'string') into.push({ text: node, key, owner });
  else if (Array.isArray(node)) node.forEach((item) => collectStrings(item, into, owner, key));
  else if (typeof node === 'object' && node !== null) {
    for (const [childKey, value] of Object.entries(node)) collectStrings(value, into, node as Record<string, unknown>, childKey);
  }
  return into;
}

function assertInertEverywhere(reply: Reply, value: string): void {
  const expected = toInertText(value);
  const card = toAdaptiveCard(reply);
  const teams = collectStrings(card);
  const teamsHits = teams.filter((placed) => placed.text.includes(OPEN));
  assert.ok(teamsHits.some((placed) => placed.text === expected), 'the value appears, made inert, as a whole TextRun');
  for (const hit of teamsHits) {
    assert.equal(hit.owner.type, 'TextRun', `untrusted text landed in a ${String(hit.owner.type)}.${hit.key}`);
    assert.equal(hit.key, 'text');
  }
  const slack = toBlockKit(card);
  const slackStrings = collectStrings(slack.blocks);
  for (const hit of slackStrings.filter((placed) => placed.text.includes(OPEN))) {
    assert.equal(hit.key, 'text');
    assert.ok(hit.owner.type === 'text' || hit.owner.type === 'plain_text', `untrusted text landed in a ${String(hit.owner.type)}`);
  }
  assert.ok(!JSON.stringify(slack.blocks).includes('mrkdwn'));
  assert.doesNotMatch(slack.text, /[<>]|&(?!amp;|lt;|gt;)/);
  for (const placed of [...teams, ...slackStrings, { text: slack.text }]) assert.doesNotMatch(placed.text, BIDI_OR_CONTROL);
}

/**
 * The invitation also carries untrusted text where no Markdown is parsed: the inline edit inputs' values
 * and the percent-encoded mailto URL. Anywhere else it must sit in a TextRun (Teams) or a text element (Slack).
 */
function assertInertInInvitation(reply: Reply, value: string, maxLength: number): void {
  const card = toAdaptiveCard(reply);
  const teams = collectStrings(card);
  const teamsHits = teams.filter((placed) => placed.text.includes(OPEN));
  const shown = (placed: Placed) => ['TextRun', 'Input.Text'].includes(String(placed.owner.type)) && placed.text.includes(toInertText(value, maxLength));
  assert.ok(teamsHits.some(shown), 'shown, made inert, in a TextRun (or the edit input)');
  for (const hit of teamsHits) {
    const where = `${String(hit.owner.type)}.${hit.key}`;
    const allowed = where === 'TextRun.text' || where === 'Input.Text.value' || (where === 'Action.OpenUrl.url' && hit.text.startsWith('mailto:?'));
    assert.ok(allowed, `untrusted text landed in ${where}`);
  }
  const slack = toBlockKit(card);
  for (const hit of collectStrings(slack.blocks).filter((placed) => placed.text.includes(OPEN))) {
    const where = `${String(hit.owner.type)}.${hit.key}`;
    const allowed = where === 'text.text' || where === 'plain_text_input.initial_value' || (where === 'button.url' && hit.text.startsWith('mailto:?'));
    assert.ok(allowed, `untrusted text landed in Slack ${where}`);
  }
  assert.ok(!JSON.stringify(slack.blocks).includes('mrkdwn'));
  assert.doesNotMatch(slack.text, /[<>]|&(?!amp;|lt;|gt;)/);
  for (const placed of [...teams, ...collectStrings(slack.blocks), { text: slack.text }]) assert.doesNotMatch(placed.text, BIDI_OR_CONTROL);
}

describe('untrusted text renders inert on Teams and Slack', () => {
  const examples: [string][] = NASTY_CASES.map((text) => [text]);

  it('as the detail and correlation id of an error card', () => {
    fc.assert(
      fc.property(untrustedText, (text) => {
        const value = `${OPEN}${text}${CLOSE}`;
        assertInertEverywhere({ template: 'error', locale: 'en', data: { code: 'COMMAND.UNKNOWN', detail: value, correlationId: value } }, value);
      }),
      { numRuns: 300, examples },
    );
  });

  it('as the usage and aliases of a help row', () => {
    fc.assert(
      fc.property(untrustedText, (text) => {
        const value = `${OPEN}${text}${CLOSE}`;
        const commands = [{ name: 'help', key: 'help', usage: value, aliases: [value], admin: true }];
        assertInertEverywhere({ template: 'help', locale: 'de', data: { commands, language: 'de', isAdmin: true } }, value);
      }),
      { numRuns: 200, examples },
    );
  });

  it('as the saved paragraphs of an invitation, shown or edited', () => {
    fc.assert(
      fc.property(untrustedText, untrustedText, fc.boolean(), (first, second, editing) => {
        const value = `${OPEN}${first}${CLOSE}`;
        const customText = { paragraph1: value, paragraph2: `${OPEN}${second}${CLOSE}` };
        assertInertInInvitation({ template: 'invitation', locale: 'en', data: invitationData({ customText, editing, canEditForTenant: true }) }, value, 1_000);
      }),
      { numRuns: 200, examples: examples.map(([text]) => [text, text, false] as [string, string, boolean]) },
    );
  });

  it('as the partner and provider names of an indirect invitation', () => {
    fc.assert(
      fc.property(untrustedText, fc.constantFrom('en' as const, 'de' as const), (text, locale) => {
        const value = `${OPEN}${text}${CLOSE}`;
        const data = invitationData({ partnerName: value, variant: 'indirect', provider: { id: 'p', name: value }, customerLocale: locale });
        assertInertInInvitation({ template: 'invitation', locale, data }, value, 500);
      }),
      { numRuns: 200, examples: examples.map(([text]) => [text, 'de'] as [string, 'de']) },
    );
  });
});
