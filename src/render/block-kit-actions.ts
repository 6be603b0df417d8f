import { isCardObject, isHidden, readEnum, readObjects, readString, typeOf, type CardObject } from './card-json.ts';
import { capLength } from './inert.ts';

type SlackObject = Record<string, unknown>;

/** How often each action_id base was used in one message: Slack wants action_ids unique, we add `#2`, `#3`. */
export type ActionIds = Map<string, number>;

export const SLACK_BUTTON_VALUE_MAX_CHARS = 2_000;
const BUTTON_TEXT_MAX_CHARS = 75;
const ACTIONS_PER_BLOCK = 25;
const OPTION_VALUE_MAX_CHARS = 150;

/**
 * Adaptive Card actions → Slack `actions` blocks (25 buttons per block). The button `value` is the JSON of
 * the action's data, so the Slack edge reads the action name from `JSON.parse(value).action` (or strips
 * the `#n` suffix from action_id) and gets the same data Teams delivers. An Action.ShowCard becomes
 * `{ action: 'showCard', ...its data, card: <its id> }`: its `data.action`, when given, replaces 'showCard'.
 */
export function toActionsBlocks(actions: CardObject[], ids: ActionIds): SlackObject[] {
  const buttons = actions.filter((action) => !isHidden(action)).map((action) => toButton(action, ids));
  const blocks: SlackObject[] = [];
  for (let start = 0; start < buttons.length; start += ACTIONS_PER_BLOCK) {
    blocks.push({ type: 'actions', elements: buttons.slice(start, start + ACTIONS_PER_BLOCK) });
  }
  return blocks;
}

function toButton(action: CardObject, ids: ActionIds): SlackObject {
  const type = typeOf(action, 'card action');
  const button: SlackObject = { type: 'button', text: toPlainTextObject(readString(action, 'title') ?? '', BUTTON_TEXT_MAX_CHARS) };
  const style = { positive: 'primary', destructive: 'danger' }[readEnum(action, 'style') ?? ''];
  if (style) button.style = style;
  switch (type) {
    case 'Action.OpenUrl':
      return { ...button, action_id: toActionId('openUrl', ids), url: readRequired(action, 'url', type) };
    case 'Action.Submit':
      return toValueButton(button, readData(action), readData(action).action, 'submit', ids);
    case 'Action.Execute':
      return toValueButton(button, readData(action), readString(action, 'verb') ?? readData(action).action, 'execute', ids);
    case 'Action.ShowCard': {
      // Slack cannot unfold a card in place: the edge opens it (a modal) on click, so the button says which
      // card. A ShowCard may carry `data` (Teams ignores it) to name its own action and bind a record.
      const card = readString(action, 'id') ?? 'card';
      const data = { action: 'showCard', ...readData(action), card };
      return toValueButton(button, data, data.action, 'showCard', ids);
    }
    default:
      throw new Error(`Unsupported card action type "${type}" for Slack`);
  }
}

function toValueButton(button: SlackObject, data: CardObject, name: unknown, fallbackName: string, ids: ActionIds): SlackObject {
  const value = JSON.stringify(data);
  if (value.length > SLACK_BUTTON_VALUE_MAX_CHARS) {
    throw new Error(`Slack button value is ${value.length} chars, more than ${SLACK_BUTTON_VALUE_MAX_CHARS}: keep action data small`);
  }
  const base = typeof name === 'string' && name !== '' ? name : fallbackName;
  return { ...button, action_id: toActionId(base, ids), value };
}

function toActionId(base: string, ids: ActionIds): string {
  const count = (ids.get(base) ?? 0) + 1;
  ids.set(base, count);
  return capLength(count === 1 ? base : `${base}#${count}`, 255);
}

/** Input.Text / Input.ChoiceSet → an `input` block; the element's action_id is the input's id. */
export function toInputBlock(input: CardObject): SlackObject {
  const type = typeOf(input);
  const id = readRequired(input, 'id', type);
  const label = readString(input, 'label') || readString(input, 'placeholder') || id;
  const element = type === 'Input.Text' ? toTextInput(input, id) : toSelect(input, id);
  return { type: 'input', block_id: id, label: toPlainTextObject(label, 2_000), optional: input.isRequired !== true, element };
}

function toTextInput(input: CardObject, id: string): SlackObject {
  const element: SlackObject = { type: 'plain_text_input', action_id: id };
  if (input.isMultiline === true) element.multiline = true;
  const value = readString(input, 'value');
  if (value) element.initial_value = capLength(value, 3_000);
  const placeholder = readString(input, 'placeholder');
  if (placeholder) element.placeholder = toPlainTextObject(placeholder, 150);
  if (typeof input.maxLength === 'number') element.max_length = Math.min(input.maxLength, 3_000);
  return element;
}

function toSelect(input: CardObject, id: string): SlackObject {
  const multi = input.isMultiSelect === true;
  const expanded = readEnum(input, 'style') === 'expanded';
  const type = expanded ? (multi ? 'checkboxes' : 'radio_buttons') : multi ? 'multi_static_select' : 'static_select';
  const options = readObjects(input, 'choices').map(toOption);
  const element: SlackObject = { type, action_id: id, options };
  const initial = toInitialOptions(readString(input, 'value'), options);
  if (initial.length > 0) Object.assign(element, multi ? { initial_options: initial } : { initial_option: initial[0] });
  const placeholder = readString(input, 'placeholder');
  if (placeholder && !expanded) element.placeholder = toPlainTextObject(placeholder, 150);
  return element;
}

function toOption(choice: CardObject): SlackObject {
  const value = readRequired(choice, 'value', 'Input.ChoiceSet choice');
  if (value.length > OPTION_VALUE_MAX_CHARS) throw new Error(`Slack option value longer than ${OPTION_VALUE_MAX_CHARS} chars: "${value.slice(0, 40)}…"`);
  return { text: toPlainTextObject(readString(choice, 'title') ?? value, BUTTON_TEXT_MAX_CHARS), value };
}

function toInitialOptions(value: string | undefined, options: SlackObject[]): SlackObject[] {
  const wanted = new Set((value ?? '').split(',').filter(Boolean));
  return options.filter((option) => wanted.has(String(option.value)));
}

export function toPlainTextObject(text: string, maxLength: number): SlackObject {
  return { type: 'plain_text', text: capLength(text, maxLength) };
}

function readData(action: CardObject): CardObject {
  if (action.data === undefined) return {};
  // Adaptive Cards also allow a bare string or number as Submit data; Teams delivers it wrapped the same way.
  return isCardObject(action.data) ? action.data : { value: action.data };
}

function readRequired(element: CardObject, key: string, what: string): string {
  const value = readString(element, key);
  if (!value) throw new Error(`${what} needs a "${key}" for Slack`);
  return value;
}
