import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CacheRemote } from './cache-remote.js';
import { CacheStore, CorruptEntryError } from './cache-store.js';
import { CodecRegistry } from './codec.js';

/** A remote in a folder, laid out as the S3 one lays out its objects (manifest pushed last). */
class FolderRemote implements CacheRemote {
  readonly url: string;
  pushes = 0;
  constructor(private readonly root: string) {
    this.url = `folder:${root}`;
  }
  async pull(key: string, dir: string): Promise<boolean> {
    const from = join(this.root, 'entries', key);
    const manifest = await readFile(join(from, 'manifest.json'), 'utf8').catch(() => undefined);
    if (!manifest) return false;
    for (const file of Object.keys(JSON.parse(manifest).files)) await copyFile(join(from, file), join(dir, file));
    await writeFile(join(dir, 'manifest.json'), manifest);
    return true;
  }
  async push(key: string, dir: string, files: string[]): Promise<void> {
    this.pushes++;
    const to = join(this.root, 'entries', key);
    await mkdir(to, { recursive: true });
    for (const file of [...files, 'manifest.json']) await copyFile(join(dir, file), join(to, file));
  }
  async recipe(recipeKey: string) {
    return (await readFile(join(this.root, 'recipes', recipeKey), 'utf8').catch(() => '')).trim() || undefined;
  }
  async linkRecipe(recipeKey: string, entryKey: string) {
    await mkdir(join(this.root, 'recipes'), { recursive: true });
    await writeFile(join(this.root, 'recipes', recipeKey), entryKey);
  }
}

const codecs = new CodecRegistry();
const key = 'a'.repeat(64);
const manifest = {
  key,
  stageId: 's',
  stageType: 't.x',
  stageVersion: 1,
  params: {},
  durationMs: 1,
  outputs: { values: 'json' },
};
let dir: string;
let remote: FolderRemote;
/** Two machines: separate local caches sharing one remote. */
let here: CacheStore;
let there: CacheStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-remote-'));
  remote = new FolderRemote(join(dir, 'remote'));
  here = new CacheStore(join(dir, 'here'), remote);
  there = new CacheStore(join(dir, 'there'), remote);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('CacheStore with a remote', () => {
  it('writes through on save and reads through on a miss, recipes too', async () => {
    await here.save(manifest, { values: [1, 2, 3] }, codecs);
    await here.linkRecipe('r'.repeat(64), key);
    expect(remote.pushes).toBe(1);
    expect(await there.recipe('r'.repeat(64))).toBe(key); // pulled the entry it names
    expect((await there.loadEntry(key, codecs)).outputs).toEqual({ values: [1, 2, 3] });
  });

  it('treats an entry without its manifest (a push cut short) as a miss', async () => {
    await here.save(manifest, { values: [1] }, codecs);
    await rm(join(dir, 'remote', 'entries', key, 'manifest.json'));
    expect(await there.has(key)).toBe(false);
  });

  it('checks a pulled entry like a local one: a file that does not match is corrupt', async () => {
    await here.save(manifest, { values: [1] }, codecs);
    await writeFile(join(dir, 'remote', 'entries', key, 'values.json'), '[2]');
    await expect(there.loadEntry(key, codecs)).rejects.toThrow(CorruptEntryError);
  });
});
