import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './cli-error.js';

const REASONS: Record<string, string> = {
  ENOTDIR: 'a file where a folder should be',
  EEXIST: 'a file where a folder should be',
  ENOENT: 'a file system that takes no new folders or files',
  EACCES: 'no permission to write',
  EPERM: 'no permission to write',
  EROFS: 'a read-only file system',
  ENOSPC: 'a full disk',
  EDQUOT: 'a full disk quota',
};

/** Why a folder cannot be made or written, in words, with the code: `no permission to write (EACCES)`. */
export function describeWriteFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return `${REASONS[code] ?? code} (${code})`;
}

/** Checks before a run starts that a folder it writes to can be created and written. */
export async function ensureWritableDir(dir: string, flag: string): Promise<void> {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    await makeFolders(dir);
    await writeFile(probe, '');
  } catch (error) {
    throw new UsageError(`${flag} ${dir}: expected a writable folder, got ${describeWriteFailure(error)}`);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}

/**
 * `mkdir -p` that fails instead of spinning: Node's recursive mkdir retries for ever where the
 * kernel answers ENOENT for a folder whose parent exists (under /proc), so each missing folder is
 * made once, from the top.
 */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = resolve(dir);
  let found = await stat(at).catch(() => undefined);
  for (; !found && dirname(at) !== at; found = await stat(at).catch(() => undefined)) {
    missing.unshift(at);
    at = dirname(at);
  }
  // the codes mkdir -p gives: the folder itself is a file, or a file is on the way to it
  if (found && !found.isDirectory())
    throw Object.assign(new Error(`${at}: a file where a folder should be`), {
      code: missing.length ? 'ENOTDIR' : 'EEXIST',
      path: at,
    });
  for (const folder of missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error; // made by another process meanwhile
    });
  }
}
