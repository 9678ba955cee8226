import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './cli-error.js';

const REASONS: Record<string, string> = {
  ENOTDIR: 'a file where a folder should be',
  EEXIST: 'a file where a folder should be',
  EACCES: 'no permission to write',
  EPERM: 'no permission to write',
  EROFS: 'a read-only file system',
  ENOSPC: 'a full disk',
  EDQUOT: 'a full disk quota',
};

/** Checks before a run starts that a folder it writes to can be created and written. */
export async function ensureWritableDir(dir: string, flag: string): Promise<void> {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`${flag} ${dir}: expected a writable folder, got ${REASONS[code] ?? code} (${code})`);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
