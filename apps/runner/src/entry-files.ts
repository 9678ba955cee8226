import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptEntryError, DataError, sha256, type CacheStore } from '@stagegraph/pipeline';

/** Whether an entry's file (a path relative to the entry, as its manifest names it) belongs to `port`: `<port>.json`, `<port>/model.json`. */
const ofPort = (file: string, port: string) => file.split(/[\\/]/)[0].replace(/\..*$/, '') === port;

/**
 * The folder of cache entry `key`, with `port`'s files checked against the entry's manifest: for
 * what the run folder copies (a model) or reads (a training history) of a stage the run did not
 * load, so nothing else checked them. A remote cache's entry is fetched first. A file that fails
 * the check removes the entry, so the next run computes it again.
 */
export async function checkedEntryDir(cache: CacheStore, key: string, port: string): Promise<string> {
  const refuse = (problem: string) =>
    new DataError(
      `cache entry ${key.slice(0, 12)} (${port}): ${problem}; it is removed, and the next run computes it again`,
    );
  const manifest = await cache.manifest(key).catch(async (error: unknown) => {
    if (!(error instanceof CorruptEntryError)) throw error;
    await cache.remove(key);
    throw refuse(error.problem);
  });
  if (!manifest) throw refuse('expected an entry, got none');
  const dir = cache.entryDir(key);
  for (const [file, expected] of Object.entries(manifest.files)) {
    if (!ofPort(file, port)) continue;
    const data = await readFile(join(dir, file)).catch(() => undefined);
    if (data?.length === expected.size && sha256(data) === expected.sha256) continue;
    await cache.remove(key);
    throw refuse(
      `${file}: expected the file its manifest names, got ${data ? 'one that does not match its checksum' : 'none'}`,
    );
  }
  return dir;
}
