export type SlackBody = Record<string, unknown>;

/**
 * Slack posts three shapes to one URL: Events API (JSON), slash commands (form fields) and interactivity
 * (a form field `payload` holding JSON). Returns undefined for anything else.
 */
export function parseSlackBody(rawBody: Buffer, contentType: string | undefined): SlackBody | undefined {
  const text = rawBody.toString('utf8');
  try {
    if ((contentType ?? '').includes('application/json')) return asObject(JSON.parse(text));
    const form = new URLSearchParams(text);
    const payload = form.get('payload');
    if (payload !== null) return asObject(JSON.parse(payload));
    return Object.fromEntries(form.entries());
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): SlackBody | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as SlackBody) : undefined;
}
