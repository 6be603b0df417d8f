/** Small readers for expanded card JSON, which arrives as `unknown`-typed plain objects. */

export type CardObject = Record<string, unknown>;

export function isCardObject(value: unknown): value is CardObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asCardObject(value: unknown, what: string): CardObject {
  if (!isCardObject(value)) throw new Error(`Expected ${what} to be an object`);
  return value;
}

/** The `type` of a card element or action; the error names where a type was missing. */
export function typeOf(element: CardObject, what = 'card element'): string {
  if (typeof element.type !== 'string') throw new Error(`A ${what} has no "type"`);
  return element.type;
}

export function readString(element: CardObject, key: string): string | undefined {
  const value = element[key];
  return typeof value === 'string' ? value : undefined;
}

/** Adaptive Card enum values are case-insensitive ("Bolder", "bolder"). */
export function readEnum(element: CardObject, key: string): string | undefined {
  return readString(element, key)?.toLowerCase();
}

export function readObjects(element: CardObject, key: string): CardObject[] {
  const value = element[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`Expected "${key}" to be an array`);
  return value.map((item, index) => asCardObject(item, `${key}[${index}]`));
}

/** Elements a host hides until a ToggleVisibility action shows them; Slack has nothing to toggle. */
export function isHidden(element: CardObject): boolean {
  return element.isVisible === false;
}
