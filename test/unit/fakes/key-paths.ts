/**
 * The shape of a JSON value as sorted `path:type` lines, values ignored: lets a test say "the builder
 * produces what the recorded fixture looks like" without pinning ids and timestamps.
 */
export function toKeyPaths(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => toKeyPaths(item, `${path}[]`)))].sort();
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .flatMap(([key, child]) => toKeyPaths(child, `${path}.${key}`))
      .sort();
  }
  return [`${path}:${value === null ? 'null' : typeof value}`];
}
