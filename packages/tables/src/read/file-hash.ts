import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DataError, notAFile, unreadable } from '@stagegraph/pipeline';
import { EXPECTED_FORMATS } from './sniff-format.js';

/** SHA-256 of a file's bytes, streamed (a table of gigabytes is not read into memory to be hashed). */
export async function hashFile(file: string, shownAs = file): Promise<string> {
  try {
    const kind = notAFile(await stat(file));
    if (kind) throw new DataError(`${shownAs}: expected a ${EXPECTED_FORMATS} file, got ${kind}`);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(
      `${shownAs}: expected a ${EXPECTED_FORMATS} file, got ${unreadable((error as NodeJS.ErrnoException).code)}`,
    );
  }
}
