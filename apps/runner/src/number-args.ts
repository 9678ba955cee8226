import { UsageError } from './cli-error.js';

/**
 * A whole-number option read from its text: yargs' own number parsing takes "0x50" as 80, "1e3"
 * as 1000 and "" as 0, which a user never meant.
 */
export function wholeNumberArg(
  flag: string,
  text: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(value >= min && value <= max))
    throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

/** A non-negative decimal option (`--older-than 1.5`). */
export function nonNegativeArg(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(value))
    throw new UsageError(`${flag}: expected a number of 0 or more, got ${JSON.stringify(text)}`);
  return value;
}

/** `--name`: it names a folder, so 1 to 200 characters without control characters (others become "_" there). */
export function runNameArg(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!text.trim() || text.length > 200 || /[\u0000-\u001f\u007f-\u009f]/.test(text))
    throw new UsageError(
      `--name: expected 1 to 200 characters without control characters, got ${JSON.stringify(text.slice(0, 60))}${text.length > 60 ? '...' : ''}`,
    );
  return text;
}
