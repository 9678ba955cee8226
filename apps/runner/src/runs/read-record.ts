import { formatZodIssues } from '@stagegraph/pipeline';
import type { z } from 'zod';
import { readTextInside } from './path-inside.js';

/** A record read back: its value, or what is wrong with it (one line, for the listing and errors). */
export type RecordRead<T> = { value: T } | { problem: string };

/**
 * Reads a JSON record (run.json, metrics.json, sweep.json, a history) under `root` through the path
 * guard and checks it against its schema. Undefined when there is no such file.
 */
export async function readRecord<T>(root: string, relative: string, schema: z.ZodType<T>): Promise<RecordRead<T> | undefined> {
  const read = await readTextInside(root, relative);
  if ('missing' in read) return undefined;
  if ('problem' in read) return read;
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch (error) {
    return { problem: `not valid JSON (${(error as Error).message.split('\n')[0]})` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { value: parsed.data };
  return { problem: formatZodIssues(parsed.error, '')[0] ?? 'not of the expected shape' };
}
