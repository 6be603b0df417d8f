import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { LOCALES } from '../../../src/core/chat.ts';
import { toAdaptiveCard } from '../../../src/render/adaptive-card.ts';
import { toBlockKit } from '../../../src/render/block-kit.ts';
import { listTemplates } from '../../../src/render/templates.ts';
import { FIXTURES, GOLDEN_VARIANTS } from './support/fixtures.ts';

// `UPDATE_GOLDEN=1 npx mocha test/unit/render/golden.test.ts` rewrites the files; review the diff, then commit.
const GOLDEN_DIRECTORY = new URL('../../golden/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function compareWithGolden(fileName: string, actual: unknown): void {
  const file = new URL(fileName, GOLDEN_DIRECTORY);
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (UPDATE) {
    mkdirSync(GOLDEN_DIRECTORY, { recursive: true });
    writeFileSync(file, text);
    return;
  }
  assert.ok(existsSync(file), `test/golden/${fileName} is missing: run with UPDATE_GOLDEN=1 to create it`);
  assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(file, 'utf8')), `test/golden/${fileName} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

describe('golden renderings', () => {
  for (const template of listTemplates()) {
    for (const locale of LOCALES) {
      it(`${template}.${locale} matches its Teams and Slack golden files`, () => {
        const data = FIXTURES[template]?.(locale);
        assert.ok(data, `no fixture for cards/${template}.json`);
        const card = toAdaptiveCard({ template, locale, data });
        compareWithGolden(`${template}.${locale}.teams.json`, card);
        compareWithGolden(`${template}.${locale}.slack.json`, toBlockKit(card));
      });
    }
  }

  for (const [name, { template, data }] of Object.entries(GOLDEN_VARIANTS)) {
    for (const locale of LOCALES) {
      it(`${name}.${locale} matches its Teams and Slack golden files`, () => {
        const card = toAdaptiveCard({ template, locale, data: data(locale) });
        compareWithGolden(`${name}.${locale}.teams.json`, card);
        compareWithGolden(`${name}.${locale}.slack.json`, toBlockKit(card));
      });
    }
  }
});
