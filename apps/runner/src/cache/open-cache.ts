import { CacheStore } from '@stagegraph/pipeline';
import { UsageError } from '../cli-error.js';
import { ensureWritableDir } from '../writable-dir.js';
import { S3Remote } from './s3-remote.js';

/**
 * The cache a `--cache-dir` names: a folder (also a shared mount), or `s3://bucket/prefix`, which
 * keeps a local copy under `.stagegraph/s3/<bucket>/prefix-<prefix>` and shares entries through the bucket.
 */
export async function openCache(cacheDir: string, { readOnly = false } = {}): Promise<CacheStore> {
  if (!cacheDir) throw new UsageError('--cache-dir: expected a folder or s3://<bucket>/<prefix>, got nothing');
  // another scheme (file://, gs://) is a store this CLI does not know, not a folder named "gs:" to create
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(cacheDir)?.[1];
  if (scheme && scheme.toLowerCase() !== 's3')
    throw new UsageError(
      `--cache-dir ${cacheDir}: expected a folder or s3://<bucket>/<prefix>, got a ${scheme}:// URL (S3 and S3-compatible stores are the remote caches there are)`,
    );
  // `s3:bucket` is a slip, not a folder to create
  const slip = /^s3:(?!\/\/)\/*(.*)$/i.exec(cacheDir);
  if (slip)
    throw new UsageError(
      `--cache-dir ${cacheDir}: expected s3://<bucket>/<prefix>, got "s3:" without "//"; did you mean s3://${slip[1]}? (a folder of that name: ./${cacheDir})`,
    );
  const remote = /^s3:\/\//i.test(cacheDir) ? S3Remote.parse(cacheDir) : undefined;
  const local = remote ? remote.localDir : cacheDir;
  const cache = new CacheStore(local, remote);
  // a command that only looks (cache ls) creates nothing, not even the folder of a mistyped path
  if (readOnly) {
    await cache.openToRead();
    return cache;
  }
  await ensureWritableDir(local, '--cache-dir');
  await cache.open();
  return cache;
}
