import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheStore, CorruptEntryError, portContentHash } from './cache-store.js';
import { CodecRegistry } from './codec.js';
import { DataError } from './errors.js';

const codecs = new CodecRegistry();
let dir: string;
let cache: CacheStore;
/** An entry's key, as the cache names entries: sha256 hex. */
const K = 'c'.repeat(64);
const manifest = (key: string) => ({
  key,
  stageId: 's',
  stageType: 't.x',
  stageVersion: 1,
  params: {},
  durationMs: 1,
  outputs: { values: 'json', metrics: 'metrics' },
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-cache-'));
  cache = new CacheStore(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('CacheStore', () => {
  it('round-trips outputs and lists the entry', async () => {
    await cache.save(manifest(K), { values: [1, 2], metrics: { rmse: 0.5 } }, codecs);
    expect(await cache.has(K)).toBe(true);
    expect((await cache.loadEntry(K, codecs)).outputs).toEqual({ values: [1, 2], metrics: { rmse: 0.5 } });
    const [entry] = await cache.list();
    expect(entry).toMatchObject({ key: K, manifest: { stageType: 't.x' } });
    expect(entry.bytes).toBeGreaterThan(0);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('keeps one entry when two writers store the same key', async () => {
    await Promise.all([
      cache.save(manifest(K), { values: [1], metrics: {} }, codecs),
      cache.save(manifest(K), { values: [1], metrics: {} }, codecs),
    ]);
    expect((await cache.list()).map((e) => e.key)).toEqual([K]);
    expect((await cache.loadEntry(K, codecs)).outputs.values).toEqual([1]);
  });

  it('replaces a damaged entry under the same key when it stores the key again (what --no-cache does)', async () => {
    await cache.save(manifest(K), { values: [1, 2], metrics: {} }, codecs);
    await writeFile(join(cache.entryDir(K), 'values.json'), '[1');
    await cache.save(manifest(K), { values: [1, 2], metrics: {} }, codecs);
    expect((await cache.loadEntry(K, codecs)).outputs.values).toEqual([1, 2]);
    await writeFile(join(cache.entryDir(K), 'manifest.json'), '{not json');
    await cache.save(manifest(K), { values: [1, 2], metrics: {} }, codecs);
    expect((await cache.loadEntry(K, codecs)).outputs.values).toEqual([1, 2]);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('calls an entry with a missing file or manifest corrupt', async () => {
    await cache.save(manifest(K), { values: [1], metrics: {} }, codecs);
    await rm(join(cache.entryDir(K), 'values.json'));
    await expect(cache.loadEntry(K, codecs)).rejects.toThrow(CorruptEntryError);
    await mkdir(cache.entryDir('half'), { recursive: true });
    await expect(cache.loadEntry('half', codecs)).rejects.toThrow('manifest.json is missing');
  });

  it('removes leftovers of writers that died, and cleans entries', async () => {
    await mkdir(join(dir, 'tmp', 'sg-tmp-999999-0badf00d-k'), { recursive: true });
    await writeFile(join(dir, 'tmp', 'sg-tmp-999999-0badf00d-k', 'x'), 'half');
    await cache.save(manifest(K), { values: [1], metrics: {} }, codecs);
    expect(await cache.clean({ olderThan: new Date(0) })).toBe(0);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    expect(await cache.clean()).toBe(1);
    expect(await cache.has(K)).toBe(false);
  });

  it.each([
    ['[]', 'not a cache manifest (top level'],
    ['{"key": "k"}', 'not a cache manifest (stageId'],
    ['null', 'not a cache manifest'],
  ])('calls a manifest of the wrong shape (%s) corrupt, and lists it as such', async (text, message) => {
    await cache.save(manifest(K), { values: [1], metrics: {} }, codecs);
    await writeFile(join(cache.entryDir(K), 'manifest.json'), text);
    await expect(cache.loadEntry(K, codecs)).rejects.toThrow(message);
    expect(await cache.has(K)).toBe(true);
    expect(await cache.list()).toEqual([{ key: K, manifest: undefined, bytes: 0 }]);
  });

  it('calls a manifest.json that is a folder corrupt, not an EISDIR crash', async () => {
    await cache.save(manifest(K), { values: [1], metrics: {} }, codecs);
    await rm(join(cache.entryDir(K), 'manifest.json'));
    await mkdir(join(cache.entryDir(K), 'manifest.json'));
    await expect(cache.loadEntry(K, codecs)).rejects.toThrow('manifest.json is a folder');
  });

  it('calls a manifest copied from another entry corrupt', async () => {
    await cache.save(manifest(K), { values: [1], metrics: {} }, codecs);
    await cache.save(manifest('other'), { values: [2], metrics: {} }, codecs);
    await writeFile(join(cache.entryDir(K), 'manifest.json'), JSON.stringify(await cache.manifest('other')));
    await expect(cache.loadEntry(K, codecs)).rejects.toThrow('describes another entry');
  });

  it('says in one line that `entries` is a file, instead of a raw ENOTDIR', async () => {
    await writeFile(join(dir, 'entries'), 'oops');
    await expect(cache.open()).rejects.toThrow(DataError);
    await expect(cache.has(K)).rejects.toThrow(
      `cache ${join(dir, 'entries')}: expected a folder, got a file; remove it or pick another --cache-dir`,
    );
  });

  it("never removes what another tool keeps in tmp/, however old, nor a dead process's files that are not its temp folders", async () => {
    await cache.open();
    await mkdir(join(dir, 'tmp', 'session-999999-0badf00d'), { recursive: true });
    await writeFile(join(dir, 'tmp', 'session-999999-0badf00d', 'state'), 'theirs');
    await writeFile(join(dir, 'tmp', 'notes.txt'), 'theirs');
    const dayAgo = new Date(Date.now() - 24 * 3600_000);
    await utimes(join(dir, 'tmp', 'notes.txt'), dayAgo, dayAgo);
    await mkdir(join(dir, 'tmp', 'sg-tmp-999999-0badf00d-k'));
    await cache.open();
    await cache.clean();
    expect((await readdir(join(dir, 'tmp'))).sort()).toEqual(['notes.txt', 'session-999999-0badf00d']);
  });

  it('marks a new or empty folder as a cache, and refuses a folder that holds other things', async () => {
    await cache.open();
    expect(JSON.parse(await readFile(join(dir, '.stagegraph-cache'), 'utf8'))).toEqual({ stagegraphCache: 1 });
    const fresh = new CacheStore(join(dir, 'new', 'cache'));
    await fresh.open();
    expect(await readdir(fresh.dir)).toEqual(['.stagegraph-cache']);

    const project = join(dir, 'project');
    await mkdir(join(project, 'tmp'), { recursive: true });
    await writeFile(join(project, 'notes.txt'), 'mine');
    await expect(new CacheStore(project).open()).rejects.toThrow(
      new DataError(
        `--cache-dir ${project}: expected a StageGraph cache (a folder with .stagegraph-cache) or an empty folder, got a folder with other files (e.g. notes.txt)`,
      ),
    );
    expect((await readdir(project)).sort()).toEqual(['notes.txt', 'tmp']);
  });

  it.each([
    ['entries', 'mydata.csv'],
    ['recipes', 'todo.txt'],
  ])(
    'refuses a folder whose %s/ holds a file the cache never writes (%s), and removes nothing',
    async (folder, file) => {
      await mkdir(join(dir, folder), { recursive: true });
      await writeFile(join(dir, folder, file), 'mine');
      await expect(cache.open()).rejects.toThrow(
        `expected a StageGraph cache (a folder with .stagegraph-cache) or an empty folder, got a folder whose ${folder}/ holds files the cache never writes (e.g. ${folder}/${file})`,
      );
      await expect(cache.openToRead()).rejects.toThrow(`${folder}/${file}`);
      expect(await readdir(dir)).toEqual([folder]);
      expect(await readFile(join(dir, folder, file), 'utf8')).toBe('mine');
    },
  );

  it('adopts a cache an older version made (entries/, recipes/ and tmp/, no marker)', async () => {
    await cache.save(manifest(K), { values: [1], metrics: {} }, codecs);
    await cache.linkRecipe('f'.repeat(64), K);
    await mkdir(join(dir, 'tmp'), { recursive: true });
    const old = new CacheStore(dir);
    await old.open();
    expect((await readdir(dir)).sort()).toEqual(['.stagegraph-cache', 'entries', 'recipes', 'tmp']);
    expect((await old.loadEntry(K, codecs)).outputs).toEqual({ values: [1], metrics: {} });
  });

  it('sweeps recipe links that a process which has ended was writing, and keeps a running one’s', async () => {
    const ended = spawnSync(process.execPath, ['-e', '']).pid!;
    await mkdir(join(dir, 'recipes'), { recursive: true });
    const dead = `${'a'.repeat(64)}.tmp-${ended}-0123abcd`;
    const ours = `${'b'.repeat(64)}.tmp-${process.pid}-0123abcd`;
    for (const name of [dead, ours]) await writeFile(join(dir, 'recipes', name), 'k\n');
    await cache.sweepTemp();
    expect(await readdir(join(dir, 'recipes'))).toEqual([ours]);
  });

  it('hashes each port by its content: equal outputs, equal hashes, whatever entry holds them', async () => {
    const a = await cache.save(manifest('a'), { values: [1, 2], metrics: { rmse: 1 } }, codecs);
    const b = await cache.save(
      { ...manifest('b'), stageId: 'other', params: { x: 1 } },
      { values: [1, 2], metrics: { rmse: 2 } },
      codecs,
    );
    expect(a.outputHashes.values).toBe(b.outputHashes.values);
    expect(a.outputHashes.metrics).not.toBe(b.outputHashes.metrics);
    expect((await cache.loadEntry('a', codecs)).manifest.outputHashes).toEqual(a.outputHashes);
  });

  it('pins how a port content hash is computed (golden: a change orphans every cache)', () => {
    expect(portContentHash('json', { 'values.json': 'ab'.repeat(32) })).toBe(
      'b2791d541ac09ac603c5e8d6249d2c6e40e6f2be11401c1f5727486a3762bd1d',
    );
  });

  it('resolves recipe links to entries that exist, and cleans links whose entry is gone', async () => {
    await cache.linkRecipe('0'.repeat(64), 'k');
    expect(await cache.recipe('0'.repeat(64))).toBeUndefined(); // the link names no key
    const entry = 'e'.repeat(64);
    await cache.save(manifest(entry), { values: [1], metrics: {} }, codecs);
    await cache.linkRecipe('f'.repeat(64), entry);
    expect(await cache.recipe('f'.repeat(64))).toBe(entry);
    await cache.remove(entry);
    expect(await cache.recipe('f'.repeat(64))).toBeUndefined();
    await cache.clean({ olderThan: new Date(0) });
    expect(await readdir(join(dir, 'recipes'))).toEqual([]);
  });
});
