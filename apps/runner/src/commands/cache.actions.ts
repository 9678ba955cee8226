import { openCache } from '../cache/open-cache.js';
import { nonNegativeArg } from '../number-args.js';
import type { Output } from '../output.js';

/** `stagegraph cache ls`: one line per entry, or with --json one JSON document. */
export async function cacheListAction(args: { cacheDir: string; json?: boolean }, output: Output): Promise<void> {
  const cache = await openCache(args.cacheDir, { readOnly: true });
  const entries = (await cache.listRemote()) ?? (await cache.list()); // with s3://, the bucket's entries (the local copy holds those it used)
  if (args.json) {
    const rows = entries.map(({ key, manifest, bytes }) =>
      manifest
        ? { key, stageType: manifest.stageType, stageId: manifest.stageId, createdAt: manifest.createdAt, bytes }
        : { key, corrupt: true, bytes },
    );
    output.out(
      JSON.stringify({ cacheDir: args.cacheDir, entries: rows, bytes: rows.reduce((sum, r) => sum + r.bytes, 0) }) +
        '\n',
    );
    return;
  }
  if (entries.length === 0) {
    output.out(`cache ${args.cacheDir} is empty\n`);
    return;
  }
  let total = 0;
  for (const { key, manifest, bytes } of entries) {
    total += bytes;
    const what = manifest
      ? `${manifest.stageType.padEnd(26)} ${manifest.stageId.padEnd(14)} ${manifest.createdAt}`
      : 'corrupt (will be recomputed)';
    output.out(`${key.slice(0, 12)}  ${what}  ${formatBytes(bytes)}\n`);
  }
  output.out(`${entries.length} entries, ${formatBytes(total)} in ${args.cacheDir}\n`);
}

/** `stagegraph cache clean [--older-than DAYS]`. */
export async function cacheCleanAction(
  args: { cacheDir: string; olderThan?: string; json?: boolean },
  output: Output,
): Promise<void> {
  const days = nonNegativeArg('--older-than', args.olderThan);
  const olderThan = days !== undefined ? new Date(Date.now() - days * 86400000) : undefined;
  const cache = await openCache(args.cacheDir);
  const removed = await cache.clean({ olderThan });
  if (args.json)
    output.out(
      JSON.stringify({ cacheDir: args.cacheDir, removed, ...(olderThan && { olderThan: olderThan.toISOString() }) }) +
        '\n',
    );
  // an S3 cache's clean empties this machine's copy; the bucket is shared, and is left to its own lifecycle rules
  else if (/^s3:\/\//i.test(args.cacheDir))
    output.out(
      `removed ${removed} entries from this machine's copy of ${args.cacheDir} (the bucket keeps its entries)\n`,
    );
  else output.out(`removed ${removed} entries from ${args.cacheDir}\n`);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
