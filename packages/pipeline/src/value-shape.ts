/** How a contract names what came instead of what it expected: "an array", "an object with a, b", "null"... */
export const shapeOf = (value: unknown): string =>
  Array.isArray(value)
    ? 'an array'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? `an object with ${Object.keys(value as object).join(', ') || 'no keys'}`
        : typeof value;
