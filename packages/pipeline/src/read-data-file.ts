import { readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { DataError } from './errors.js';

/** What a path is, when it is not a regular file: reading a FIFO would block the run forever. */
export function notAFile(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  return 'a device';
}

/** Why a file could not be read, in words, from its error code. */
export function unreadable(code: string | undefined): string {
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'a file without permission to read it';
  return `a file that cannot be read (${code ?? 'unknown error'})`;
}

/**
 * Reads a data file the user named, refusing anything but a regular file with one line:
 * `<shownAs>: expected <what>, got a directory` (or a FIFO, a device, no such file...).
 */
export async function readDataFile(file: string, what: string, shownAs = file): Promise<Buffer> {
  let info: Stats;
  try {
    info = await stat(file);
  } catch (error) {
    throw new DataError(`${shownAs}: expected ${what}, got ${unreadable((error as NodeJS.ErrnoException).code)}`);
  }
  const kind = notAFile(info);
  if (kind) throw new DataError(`${shownAs}: expected ${what}, got ${kind}`);
  try {
    return await readFile(file);
  } catch (error) {
    throw new DataError(`${shownAs}: expected ${what}, got ${unreadable((error as NodeJS.ErrnoException).code)}`);
  }
}
