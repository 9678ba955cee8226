import { join } from 'node:path';
import { CacheStore } from '@stagegraph/pipeline';
import { ensureWritableDir } from '../writable-dir.js';
import { S3Remote } from './s3-remote.js';

/**
 * The cache a `--cache-dir` names: a folder (also a shared mount), or `s3://bucket/prefix`, which
 * keeps a local copy under `.stagegraph/s3/<bucket>/<prefix>` and shares entries through the bucket.
 */
export async function openCache(cacheDir: string): Promise<CacheStore> {
  const remote = cacheDir.startsWith('s3://') ? S3Remote.parse(cacheDir) : undefined;
  const local = remote ? join('.stagegraph', 's3', cacheDir.slice('s3://'.length).replace(/\/+$/, '')) : cacheDir;
  await ensureWritableDir(local, '--cache-dir');
  const cache = new CacheStore(local, remote);
  await cache.open();
  return cache;
}
