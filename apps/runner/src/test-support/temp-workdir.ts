import { afterAll, beforeAll } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs the spec file in a fresh temp folder as its working directory (its data and runs/ land there),
 * removed afterwards. Call it before the file's own beforeAll hooks, which then run inside the folder.
 */
export function useTempWorkdir(prefix: string): () => string {
  const cwd = process.cwd();
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    process.chdir(dir);
  });
  afterAll(async () => {
    process.chdir(cwd);
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}
