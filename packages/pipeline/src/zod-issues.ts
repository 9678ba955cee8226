import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';

/** One line per zod issue: `path.to.field: message`, with did-you-mean for unrecognised keys. */
export function formatZodIssues(error: z.ZodError, prefix: string, knownKeys: (path: PropertyKey[]) => string[] = () => []): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const at = path ? `${path}: ` : '';
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(issue.path);
      const keys = issue.keys.map((key) => `"${key}"${didYouMean(key, known)}`).join(', ');
      return `${at}unknown key ${keys}${known.length ? `; expected one of ${known.join(', ')}` : ''}`;
    }
    if (issue.code === 'invalid_key' && issue.issues[0]) return `${at}${issue.issues[0].message}, got "${String(issue.path.at(-1))}"`;
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
