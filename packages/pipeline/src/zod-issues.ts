import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';

/**
 * One line per field: `path.to.field: message`, with did-you-mean for unrecognised keys. A field
 * that breaks several checks (1e300 is neither a safe integer nor under the maximum) gets its first.
 */
export function formatZodIssues(
  error: z.ZodError,
  prefix: string,
  knownKeys: (path: PropertyKey[]) => string[] = () => [],
): string[] {
  const seenPaths = new Set<string>();
  const firstPerPath = error.issues.filter((issue) => {
    const key = JSON.stringify(issue.path.map(String));
    return issue.code === 'unrecognized_keys' || (!seenPaths.has(key) && seenPaths.add(key));
  });
  return firstPerPath.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const at = path ? `${path}: ` : '';
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(issue.path);
      const keys = issue.keys.map((key) => `"${key}"${didYouMean(key, known)}`).join(', ');
      return `${at}unknown key ${keys}${known.length ? `; expected one of ${known.join(', ')}` : ''}`;
    }
    if (issue.code === 'invalid_key' && issue.issues[0])
      return `${at}${issue.issues[0].message}, got "${String(issue.path.at(-1))}"`;
    return `${at}${issue.message.replace(/^Invalid input: /, '').replace('received', 'got')}`;
  });
}

/** The keys an object schema accepts at `path`, for did-you-mean on unknown keys. */
export function shapeKeysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let current: any = schema;
  for (const key of [...path, null]) {
    while (current?.def?.innerType) current = current.def.innerType; // optional/default wrappers
    if (key === null) break;
    current = current?.def?.shape?.[key as string] ?? current?.def?.valueType;
  }
  return current?.def?.shape ? Object.keys(current.def.shape) : [];
}
