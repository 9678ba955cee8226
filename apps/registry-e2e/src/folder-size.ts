import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes of every file under `dir` (links not followed): what an install puts on disk, apparent size. */
export async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderSize(path);
    else if (entry.isFile()) total += (await lstat(path)).size;
  }
  return total;
}
