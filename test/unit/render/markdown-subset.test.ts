import assert from 'node:assert/strict';
import { toPlainText, toRichTextElements } from '../../../src/render/markdown-subset.ts';

describe('our Markdown subset', () => {
  it('styles **bold** and _italic_, and nests them', () => {
    assert.deepEqual(toRichTextElements('**a _b_**'), [
      { type: 'text', text: 'a ', style: { bold: true } },
      { type: 'text', text: 'b', style: { bold: true, italic: true } },
    ]);
  });

  it('links only http(s) URLs and keeps other brackets as text', () => {
    assert.deepEqual(toRichTextElements('[Docs](https://learn.microsoft.com/x) [no](javascript:alert(1))'), [
      { type: 'link', url: 'https://learn.microsoft.com/x', text: 'Docs' },
      { type: 'text', text: ' [no](javascript:alert(1))' },
    ]);
  });

  it('shows escaped characters and unpaired markers literally, and leaves underscores inside words alone', () => {
    assert.equal(toPlainText('\\*\\*not bold\\*\\* 5 ** 2 snake_case \\[x\\]'), '**not bold** 5 ** 2 snake_case [x]');
  });

  it('drops the markup for plain text', () => {
    assert.equal(toPlainText('Type **help** or _hilfe_ [here](https://x.example)'), 'Type help or hilfe here');
  });
});
