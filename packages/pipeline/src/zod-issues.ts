import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { shapeOf, valueAt } from './value-shape.js';

/**
 * One line per field in the project's words: `path.to.field: expected ..., got ...`, with
 * did-you-mean for unrecognised keys (at any depth: `knownKeys` says which keys a path takes) and
 * for a misspelt choice (an enum value, a union's `type`) when `input`, the value checked, is given.
 * A field that breaks several checks (1e300 is neither a safe integer nor under the maximum) gets its first.
 */
export function formatZodIssues(
  error: z.ZodError,
  prefix: string,
  knownKeys: (path: PropertyKey[]) => string[] = () => [],
  input?: unknown,
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
    const choices = choicesOf(issue);
    if (choices) return `${at}${choiceMessage(choices, valueAt(input, issue.path), input !== undefined)}`;
    return `${at}${issue.message.replace(/^Invalid input: /, '').replace('received', 'got')}`;
  });
}

/** The values a field could have taken: an enum's, or a discriminated union's tags. */
function choicesOf(issue: z.core.$ZodIssue): string[] | undefined {
  if (issue.code === 'invalid_value' && issue.values.every((v) => typeof v === 'string'))
    return issue.values as string[];
  const union = issue as { code: string; discriminator?: string; options?: unknown[] };
  if (union.code === 'invalid_union' && union.discriminator && Array.isArray(union.options))
    return union.options.map(String);
  return undefined;
}

function choiceMessage(choices: string[], got: unknown, known: boolean): string {
  const expected = `expected one of ${choices.map((c) => `"${c}"`).join(', ')}`;
  if (!known) return expected;
  const hint = typeof got === 'string' ? didYouMean(got, choices) : '';
  return `${expected}, got ${got === undefined ? 'none' : typeof got === 'string' ? `"${got}"` : shapeOf(got)}${hint}`;
}

/**
 * The keys an object schema accepts at `path`, for did-you-mean on unknown keys. Walks optional and
 * default wrappers, lists, records and discriminated unions (the branch the `input` value's tag picks).
 */
export function shapeKeysAt(schema: z.ZodType, path: PropertyKey[], input?: unknown): string[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let current: any = schema;
  let value = input;
  for (const key of [...path, null]) {
    current = unwrap(current, value);
    if (key === null) break;
    current = current?.def?.shape?.[key as string] ?? current?.def?.element ?? current?.def?.valueType ?? undefined;
    value = valueAt(value, [key]);
  }
  return current?.def?.shape ? Object.keys(current.def.shape) : [];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function unwrap(schema: any, value: unknown): any {
  let current = schema;
  for (let guard = 0; guard < 20 && current; guard++) {
    const def = current.def;
    if (def?.innerType)
      current = def.innerType; // optional, default, nullable
    else if (def?.type === 'pipe') current = def.in;
    else if (def?.type === 'union' && Array.isArray(def.options)) {
      const tag = def.discriminator;
      const wanted = tag ? valueAt(value, [tag]) : undefined;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const branch = def.options.find((o: any) => {
        const literal = unwrap(o, undefined)?.def?.shape?.[tag]?.def;
        return literal?.values?.includes(wanted);
      });
      if (!branch) return current;
      current = branch;
    } else return current;
  }
  return current;
}
