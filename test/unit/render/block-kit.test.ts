import assert from 'node:assert/strict';
import { toBlockKit, toSlackModalBlocks } from '../../../src/render/block-kit.ts';

const card = (...body: object[]) => ({ type: 'AdaptiveCard', version: '1.5', body });
const section = (...elements: object[]) => ({ type: 'rich_text', elements: [{ type: 'rich_text_section', elements }] });

describe('toBlockKit', () => {
  it('turns a large first TextBlock into a plain_text header, cut to 150 characters', () => {
    const { blocks } = toBlockKit(card({ type: 'TextBlock', text: `**${'x'.repeat(200)}**`, size: 'ExtraLarge' }));
    const header = blocks[0] as { type: string; text: { type: string; text: string } };
    assert.equal(header.type, 'header');
    assert.equal(header.text.type, 'plain_text');
    assert.equal(Array.from(header.text.text).length, 150);
    assert.ok(header.text.text.endsWith('…'));
  });

  it('renders later TextBlocks as rich text, with our Markdown subset as styles and links', () => {
    const { blocks } = toBlockKit(card(
      { type: 'TextBlock', text: 'Title', size: 'Large' },
      { type: 'TextBlock', text: 'a **b** _c_ [d](https://e.example) \\*f\\* snake_case' },
      { type: 'TextBlock', text: 'all **bold**', weight: 'Bolder' },
    ));
    assert.deepEqual(blocks[1], section(
      { type: 'text', text: 'a ' },
      { type: 'text', text: 'b', style: { bold: true } },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'c', style: { italic: true } },
      { type: 'text', text: ' ' },
      { type: 'link', url: 'https://e.example', text: 'd' },
      { type: 'text', text: ' *f* snake_case' },
    ));
    assert.deepEqual(blocks[2], section({ type: 'text', text: 'all bold', style: { bold: true } }));
  });

  it('keeps TextRun text literal and maps weight, italic, strikethrough and monospace to styles', () => {
    const { blocks } = toBlockKit(card({
      type: 'RichTextBlock',
      inlines: [
        { type: 'TextRun', text: '**not bold** <!here>', weight: 'Bolder', italic: true, strikethrough: true, selectAction: { type: 'Action.OpenUrl', url: 'https://x.example' } },
        { type: 'TextRun', text: 'code', fontType: 'Monospace' },
        'bare string',
      ],
    }));
    assert.deepEqual(blocks, [section(
      { type: 'text', text: '**not bold** <!here>', style: { bold: true, italic: true, strike: true } },
      { type: 'text', text: 'code', style: { code: true } },
      { type: 'text', text: 'bare string' },
    )]);
  });

  it('turns a FactSet into one rich text block of bold titles and values', () => {
    const { blocks } = toBlockKit(card({ type: 'FactSet', facts: [{ title: 'A', value: '1' }, { title: 'B', value: '2' }] }));
    assert.deepEqual(blocks, [section(
      { type: 'text', text: 'A:', style: { bold: true } }, { type: 'text', text: ' ' }, { type: 'text', text: '1' },
      { type: 'text', text: '\n' },
      { type: 'text', text: 'B:', style: { bold: true } }, { type: 'text', text: ' ' }, { type: 'text', text: '2' },
    )]);
  });

  it('flattens Containers (merging their text into one block) and ColumnSets, and skips hidden elements', () => {
    const { blocks } = toBlockKit(card(
      { type: 'Container', items: [{ type: 'TextBlock', text: 'one' }, { type: 'TextBlock', text: 'two' }, { type: 'TextBlock', text: 'gone', isVisible: false }] },
      { type: 'ColumnSet', columns: [{ type: 'Column', items: [{ type: 'TextBlock', text: 'left' }] }, { type: 'Column', items: [{ type: 'TextBlock', text: 'right' }] }] },
    ));
    assert.deepEqual(blocks, [
      section({ type: 'text', text: 'one' }, { type: 'text', text: '\n' }, { type: 'text', text: 'two' }),
      section({ type: 'text', text: 'left' }),
      section({ type: 'text', text: 'right' }),
    ]);
  });

  it('maps an Image to an image block with alt text', () => {
    const { blocks } = toBlockKit(card({ type: 'Image', url: 'https://x.example/a.png', altText: 'Logo' }));
    assert.deepEqual(blocks, [{ type: 'image', image_url: 'https://x.example/a.png', alt_text: 'Logo' }]);
  });

  it('maps OpenUrl, Submit, Execute and ShowCard actions to buttons with unique action_ids', () => {
    const { blocks } = toBlockKit({
      ...card({ type: 'ActionSet', actions: [
        { type: 'Action.OpenUrl', title: 'Open', url: 'https://x.example' },
        { type: 'Action.Submit', title: 'Go', data: { action: 'command', text: 'help' }, style: 'positive' },
        { type: 'Action.Submit', title: 'Again', data: { action: 'command', text: 'status' } },
      ] }),
      actions: [
        { type: 'Action.Execute', title: 'Run', verb: 'restore', data: { customer: 'c1' }, style: 'destructive' },
        { type: 'Action.ShowCard', id: 'edit', title: 'Edit', card: card({ type: 'Input.Text', id: 'p1', label: 'Paragraph' }) },
      ],
    });
    const button = (text: string) => ({ type: 'plain_text', text });
    assert.deepEqual(blocks, [
      { type: 'actions', elements: [
        { type: 'button', text: button('Open'), action_id: 'openUrl', url: 'https://x.example' },
        { type: 'button', text: button('Go'), style: 'primary', action_id: 'command', value: '{"action":"command","text":"help"}' },
        { type: 'button', text: button('Again'), action_id: 'command#2', value: '{"action":"command","text":"status"}' },
      ] },
      { type: 'actions', elements: [
        { type: 'button', text: button('Run'), style: 'danger', action_id: 'restore', value: '{"customer":"c1"}' },
        { type: 'button', text: button('Edit'), action_id: 'showCard', value: '{"action":"showCard","card":"edit"}' },
      ] },
    ]);
  });

  it('lets an Action.ShowCard carry data: its action names the button, its id stays the card', () => {
    const { blocks } = toBlockKit(card({ type: 'ActionSet', actions: [
      { type: 'Action.ShowCard', id: 'invitation.copy', title: 'Copy', data: { action: 'invitation.copy', invitationId: 'i1', card: 'ignored' }, card: card() },
      { type: 'Action.ShowCard', id: 'more', title: 'More', data: { invitationId: 'i2' }, card: card() },
    ] }));
    const [copy, more] = (blocks[0] as { elements: Record<string, unknown>[] }).elements;
    assert.equal(copy?.action_id, 'invitation.copy');
    assert.deepEqual(JSON.parse(String(copy?.value)), { action: 'invitation.copy', invitationId: 'i1', card: 'invitation.copy' });
    assert.equal(more?.action_id, 'showCard');
    assert.deepEqual(JSON.parse(String(more?.value)), { action: 'showCard', invitationId: 'i2', card: 'more' });
  });

  it('throws when a button value would exceed 2,000 characters', () => {
    const action = { type: 'Action.Submit', title: 'Big', data: { action: 'x', blob: 'y'.repeat(2_000) } };
    assert.throws(() => toBlockKit(card({ type: 'ActionSet', actions: [action] })), /2000/);
  });

  it('maps Input.Text and Input.ChoiceSet to input blocks', () => {
    const { blocks } = toBlockKit(card(
      { type: 'Input.Text', id: 'p1', label: 'Paragraph', value: 'Hello <!channel>', isMultiline: true, isRequired: true },
      { type: 'Input.ChoiceSet', id: 'lang', label: 'Language', value: 'de', choices: [{ title: 'English', value: 'en' }, { title: 'Deutsch', value: 'de' }] },
      { type: 'Input.ChoiceSet', id: 'kinds', label: 'Kinds', style: 'expanded', isMultiSelect: true, value: 'a,b', choices: [{ title: 'A', value: 'a' }, { title: 'B', value: 'b' }] },
    ));
    const [text, select, checkboxes] = blocks as Record<string, unknown>[];
    assert.deepEqual(text, {
      type: 'input', block_id: 'p1', label: { type: 'plain_text', text: 'Paragraph' }, optional: false,
      element: { type: 'plain_text_input', action_id: 'p1', multiline: true, initial_value: 'Hello <!channel>' },
    });
    const english = { text: { type: 'plain_text', text: 'English' }, value: 'en' };
    const deutsch = { text: { type: 'plain_text', text: 'Deutsch' }, value: 'de' };
    assert.deepEqual(select?.element, { type: 'static_select', action_id: 'lang', options: [english, deutsch], initial_option: deutsch });
    assert.equal((checkboxes?.element as { type: string }).type, 'checkboxes');
    assert.equal((checkboxes?.element as { initial_options: unknown[] }).initial_options.length, 2);
  });

  it('throws on anything outside the subset, naming the type', () => {
    assert.throws(() => toBlockKit(card({ type: 'Table', rows: [] })), /"Table"/);
    assert.throws(() => toBlockKit(card({ type: 'Input.Date', id: 'd' })), /"Input\.Date"/);
    assert.throws(() => toBlockKit(card({ type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 't' }] })), /"Action\.ToggleVisibility"/);
    assert.throws(() => toBlockKit(card({ type: 'RichTextBlock', inlines: [{ type: 'Mention' }] })), /"Mention"/);
    assert.throws(() => toBlockKit(card({ type: 'ColumnSet', columns: [{ type: 'TextBlock', text: 'x' }] })), /"TextBlock"/);
    assert.throws(() => toBlockKit({ type: 'Message', body: [] }), /"Message"/);
  });

  it('builds the fallback text from the first TextBlock, without markup and with & < > escaped', () => {
    const { text } = toBlockKit(card({ type: 'TextBlock', text: '**Tom & Jerry** <3 > 2' }, { type: 'TextBlock', text: 'later' }));
    assert.equal(text, 'Tom &amp; Jerry &lt;3 &gt; 2');
  });

  it('never produces a mrkdwn text object', () => {
    const { blocks } = toBlockKit(card({ type: 'TextBlock', text: 'x', size: 'Large' }, { type: 'FactSet', facts: [{ title: 't', value: 'v' }] }));
    assert.ok(!JSON.stringify(blocks).includes('mrkdwn'));
  });
});

describe('toSlackModalBlocks', () => {
  it('converts the inner card of an Action.ShowCard', () => {
    const blocks = toSlackModalBlocks({ type: 'Action.ShowCard', id: 'edit', title: 'Edit', card: card({ type: 'TextBlock', text: 'Inside' }) });
    assert.deepEqual(blocks, [section({ type: 'text', text: 'Inside' })]);
  });

  it('refuses anything else', () => {
    assert.throws(() => toSlackModalBlocks({ type: 'Action.Submit' }), /Action\.ShowCard/);
  });
});
