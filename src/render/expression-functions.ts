import { ExpressionEvaluator, ExpressionFunctions, FunctionUtils, ReturnType } from 'adaptive-expressions';

/**
 * `fmt(template, params)` or `fmt(template, 'name', value, …)`: fills `{name}` placeholders of one of our
 * strings with numbers (`${fmt(t.pending.count, 'count', count(items))}`). Only finite numbers are
 * filled in: the result usually lands in a TextBlock, which Teams renders as Markdown, so untrusted
 * strings must never pass through here. Any other value leaves its placeholder visible, so a template
 * that misuses fmt shows up in the golden files instead of rendering attacker-controlled Markdown.
 */
export function formatNumbers(template: string, params: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    return typeof value === 'number' && Number.isFinite(value) ? String(value) : placeholder;
  });
}

let registered = false;

/**
 * adaptivecards-templating looks functions up in `ExpressionFunctions.standardFunctions` only (it ignores
 * `Expression.functions.add`), so that map is where a custom function has to go. Idempotent.
 */
export function registerExpressionFunctions(): void {
  if (registered) return;
  const evaluator = new ExpressionEvaluator(
    'fmt',
    FunctionUtils.apply((args) => formatNumbers(String(args[0] ?? ''), toParams(args.slice(1)))),
    ReturnType.String,
    (expression) => FunctionUtils.validateArityAndAnyType(expression, 2, 21),
  );
  (ExpressionFunctions.standardFunctions as Map<string, ExpressionEvaluator>).set('fmt', evaluator);
  registered = true;
}

function toParams(rest: unknown[]): Record<string, unknown> {
  const [first] = rest;
  if (rest.length === 1 && typeof first === 'object' && first !== null) return first as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (let index = 0; index + 1 < rest.length; index += 2) params[String(rest[index])] = rest[index + 1];
  return params;
}
