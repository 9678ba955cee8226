import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheStore, CodecRegistry, DataError } from '@stagegraph/pipeline';
import { checkedEntryDir } from './entry-files.js';

const K = 'e'.repeat(64);
let dir: string;
let cache: CacheStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-entry-'));
  cache = new CacheStore(dir);
  const manifest = { key: K, stageId: 'train', stageType: 't.x', stageVersion: 1, params: {}, durationMs: 1 };
  await cache.save({ ...manifest, outputs: { history: 'json' } }, { history: { epochs: [] } }, new CodecRegistry());
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('checkedEntryDir (what a run folder copies from an entry it did not load)', () => {
  it("gives the entry's folder when the port's files match the manifest", async () => {
    expect(await checkedEntryDir(cache, K, 'history')).toBe(cache.entryDir(K));
  });

  it.each([
    ['a manifest that is not JSON', 'manifest.json', '{not json'],
    ['a file that does not match its checksum', 'history.json', '{"epochs": [1]}'],
  ])('refuses %s in one line (exit 2) and removes the entry, so the next run computes it', async (_, file, text) => {
    await writeFile(join(cache.entryDir(K), file), text);
    const refused = checkedEntryDir(cache, K, 'history');
    await expect(refused).rejects.toThrow(DataError);
    await expect(refused).rejects.toThrow(/^cache entry eeeeeeeeeeee \(history\): .*; it is removed/);
    expect(await cache.has(K)).toBe(false);
  });
});
