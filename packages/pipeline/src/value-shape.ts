/** How a contract names what came instead of what it expected: "an array", "an object with a, b", "null"... */
export const shapeOf = (value: unknown): string =>
  Array.isArray(value)
    ? 'an array'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? `an object with ${Object.keys(value as object).join(', ') || 'no keys'}`
        : typeof value;

/** What a value holds at a path of keys (`epochs`, 3, `loss`), or undefined where the path leads nowhere. */
export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path)
    at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}
