import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { processAlive, TEMP_PATH, writeFileAtomic } from './atomic-write.js';
import { canonicalJson, sha256 } from './canonical-json.js';
import { cacheManifestSchema, type CacheManifest } from './cache-manifest.js';
import type { CodecRegistry } from './codec.js';
import { DataError } from './errors.js';
import { formatZodIssues } from './zod-issues.js';

export type { CacheManifest } from './cache-manifest.js';
import type { CacheRemote } from './cache-remote.js';

/** An entry that exists but cannot be loaded: it is removed and recomputed. */
export class CorruptEntryError extends Error {
  constructor(
    readonly key: string,
    /** What is wrong with it, e.g. "manifest.json is not valid JSON". */
    readonly problem: string,
  ) {
    super(`cache entry ${key.slice(0, 12)} is corrupt: ${problem}`);
    this.name = 'CorruptEntryError';
  }
}

const MANIFEST = 'manifest.json';
/**
 * A temp folder of ours (`tempFolder`): `sg-tmp-<pid>-<8 hex>-<label>`, swept when its pid is gone.
 * Nothing else in tmp/ is ever removed: it may be another tool's.
 */
const OWN_TEMP = /^sg-tmp-(\d+)-[0-9a-f]{8}-/;
/** Marks a folder as a cache, so a sweep or `cache clean` never runs in a folder that holds other things. */
const MARKER = '.stagegraph-cache';
const CACHE_FORMAT = 1;
/** What a cache made before the marker holds: such a folder is adopted (the marker is written). */
const CACHE_FOLDERS = new Set(['entries', 'recipes', 'tmp']);
/** An entry's or recipe link's name: a sha256 key. Nothing else in entries/ or recipes/ is the cache's. */
const KEY = /^[0-9a-f]{64}$/;
/** A recipe link being written (`<key>.tmp-<pid>-<hex>`), also ours. */
const RECIPE_NAME = /^[0-9a-f]{64}(\.tmp-\d+-[0-9a-f]{8})?$/;
/** Files another process opening the same cache writes for a moment: its write probe, its marker's temp name. */
const PASSING_FILES = /^(\.write-probe-\d+|\.stagegraph-cache\.tmp-\d+-[0-9a-f]{8})$/;

/**
 * Content-addressed stage results on disk: `<dir>/entries/<key>/` holds each output port's files
 * and a manifest. An entry is written in `<dir>/tmp/` and renamed into place whole, so a crash
 * leaves either no entry or a complete one, and two runs writing the same key keep one entry.
 */
export class CacheStore {
  /** `remote`: a shared store this one reads through on a miss and writes through after saving. */
  constructor(
    readonly dir: string,
    readonly remote?: CacheRemote,
  ) {}

  entryDir(key: string): string {
    return join(this.dir, 'entries', key);
  }

  /**
   * Checks that the cache's folders are folders (a file at `entries` would fail every lookup with
   * a raw ENOTDIR), that the folder is a cache or empty (marking it), and sweeps dead writers' temp
   * folders. Call once before using the store.
   */
  async open(): Promise<void> {
    await this.checkLayout();
    if (await this.claimable()) {
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(join(this.dir, MARKER), JSON.stringify({ stagegraphCache: CACHE_FORMAT }) + '\n');
    }
    await this.sweepTemp();
  }

  /** Checks the folder as `open` does, and writes nothing: for commands that only read (`cache ls`). */
  async openToRead(): Promise<void> {
    await this.checkLayout();
    await this.claimable();
  }

  /**
   * Whether the folder is to be marked now (empty, new, or an older version's cache); false when it
   * is marked already. Anything else is refused: a folder with other files, or an entries/ or
   * recipes/ folder holding names the cache never writes (`entries/mydata.csv`: not ours to clean).
   */
  private async claimable(): Promise<boolean> {
    const names = await this.names(this.dir);
    if (names.includes(MARKER)) return false;
    const refuse = (what: string) => {
      throw new DataError(
        `--cache-dir ${this.dir}: expected a StageGraph cache (a folder with ${MARKER}) or an empty folder, got ${what}`,
      );
    };
    const other = names.find((name) => !CACHE_FOLDERS.has(name) && !PASSING_FILES.test(name));
    if (other !== undefined) refuse(`a folder with other files (e.g. ${other})`);
    const foreignEntry = (await this.names(join(this.dir, 'entries'))).find((name) => !KEY.test(name));
    if (foreignEntry !== undefined)
      refuse(`a folder whose entries/ holds files the cache never writes (e.g. entries/${foreignEntry})`);
    const foreignRecipe = (await this.names(join(this.dir, 'recipes'))).find((name) => !RECIPE_NAME.test(name));
    if (foreignRecipe !== undefined)
      refuse(`a folder whose recipes/ holds files the cache never writes (e.g. recipes/${foreignRecipe})`);
    return true;
  }

  private names(dir: string): Promise<string[]> {
    return readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
  }

  private async checkLayout(): Promise<void> {
    for (const dir of [this.dir, join(this.dir, 'entries'), join(this.dir, 'recipes'), join(this.dir, 'tmp')]) {
      const info = await stat(dir).catch(() => undefined);
      if (info && !info.isDirectory())
        throw new DataError(`cache ${dir}: expected a folder, got a file; remove it or pick another --cache-dir`);
    }
  }

  async manifest(key: string): Promise<CacheManifest | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.entryDir(key), MANIFEST), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') await this.checkLayout(); // `entries` is a file: say so; else the entry is
      if (code === 'EISDIR' && (await exists(this.entryDir(key))))
        throw new CorruptEntryError(key, 'manifest.json is a folder');
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        // a folder without manifest (or a file for an entry) is left by nothing we write
        if (await exists(this.entryDir(key))) throw new CorruptEntryError(key, 'manifest.json is missing');
        return (await this.pull(key)) ? this.manifest(key) : undefined;
      }
      throw error;
    }
    return parseManifest(key, text);
  }

  /** A path in tmp/ named so that `sweepTemp` knows it is ours, and whose (OWN_TEMP). */
  private tempFolder(label: string): string {
    return join(this.dir, 'tmp', `sg-tmp-${process.pid}-${randomBytes(4).toString('hex')}-${label}`);
  }

  /** A miss here: the remote's entry, if it has a complete one, fetched into a temp folder and renamed into place. */
  private async pull(key: string): Promise<boolean> {
    if (!this.remote) return false;
    const temp = this.tempFolder(`pull-${key}`);
    await mkdir(temp, { recursive: true });
    try {
      if (!(await this.remote.pull(key, temp))) return false;
      await mkdir(join(this.dir, 'entries'), { recursive: true });
      await rename(temp, this.entryDir(key)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error; // another process pulled it first
      });
      return true;
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      return (await this.manifest(key)) !== undefined;
    } catch (error) {
      if (error instanceof CorruptEntryError) return true; // present: loading it will report and recompute
      throw error;
    }
  }

  /** An entry's manifest, after checking every file it names against its size and checksum (a CorruptEntryError if one fails). */
  private async checkedManifest(key: string): Promise<CacheManifest> {
    const manifest = await this.manifest(key);
    if (!manifest) throw new CorruptEntryError(key, 'entry vanished');
    const dir = this.entryDir(key);
    for (const [file, expected] of Object.entries(manifest.files)) {
      let data: Buffer;
      try {
        data = await readFile(join(dir, file));
      } catch {
        throw new CorruptEntryError(key, `${file} is missing`);
      }
      if (data.length !== expected.size || sha256(data) !== expected.sha256) {
        throw new CorruptEntryError(key, `${file} does not match its checksum`);
      }
    }
    return manifest;
  }

  /**
   * Puts a saved entry in place. An entry already under the key was stored by another run first, and
   * is kept if it is intact; a damaged one (what `--no-cache` recomputes over) is replaced.
   */
  private async putInPlace(temp: string, key: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await rename(temp, this.entryDir(key));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      }
      const intact = await this.checkedManifest(key).then(
        () => true,
        (error: unknown) => (error instanceof CorruptEntryError ? false : Promise.reject(error)),
      );
      if (intact || attempt > 0) return;
      await this.remove(key);
    }
  }

  /** Loads an entry's outputs, after checking its files against it, with its manifest (whose `outputHashes` key the stages that read them). */
  async loadEntry(
    key: string,
    codecs: CodecRegistry,
  ): Promise<{ outputs: Record<string, unknown>; manifest: CacheManifest }> {
    const manifest = await this.checkedManifest(key);
    const dir = this.entryDir(key);
    const outputs: Record<string, unknown> = {};
    try {
      for (const [port, kind] of Object.entries(manifest.outputs))
        outputs[port] = await codecs.get(kind).load(dir, port);
    } catch (error) {
      for (const [port, value] of Object.entries(outputs)) codecs.get(manifest.outputs[port]).dispose?.(value);
      throw new CorruptEntryError(key, `cannot decode: ${(error as Error).message}`);
    }
    return { outputs, manifest };
  }

  /**
   * Stores outputs under `manifest.key` and returns the complete manifest, with the files' checksums
   * and each port's content hash.
   */
  async save(
    manifest: Omit<CacheManifest, 'files' | 'createdAt' | 'outputHashes'>,
    outputs: Record<string, unknown>,
    codecs: CodecRegistry,
  ): Promise<CacheManifest> {
    const temp = this.tempFolder(manifest.key);
    await mkdir(temp, { recursive: true });
    try {
      const files: CacheManifest['files'] = {};
      const outputHashes: CacheManifest['outputHashes'] = {};
      for (const [port, kind] of Object.entries(manifest.outputs)) {
        const portFiles: Record<string, string> = {};
        for (const file of await codecs.get(kind).save(outputs[port], temp, port)) {
          const data = await readFile(file);
          const name = relative(temp, file);
          files[name] = { size: data.length, sha256: sha256(data) };
          portFiles[name] = files[name].sha256;
        }
        outputHashes[port] = portContentHash(kind, portFiles);
      }
      const complete: CacheManifest = { ...manifest, createdAt: new Date().toISOString(), outputHashes, files };
      await writeFileAtomic(join(temp, MANIFEST), JSON.stringify(complete, null, 2) + '\n');
      await this.remote?.push(manifest.key, temp, Object.keys(files));
      await mkdir(join(this.dir, 'entries'), { recursive: true });
      await this.putInPlace(temp, manifest.key);
      return complete;
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  /**
   * The entry a stage's recipe key (from the config and the recipe keys upstream) last resolved to,
   * if that entry is still there (it may prove corrupt on load). Lets a run know what is cached
   * before anything runs, while entries themselves are keyed by the content of their inputs.
   */
  async recipe(recipeKey: string): Promise<string | undefined> {
    const local = (await readFile(join(this.dir, 'recipes', recipeKey), 'utf8').catch(() => '')).trim();
    if (/^[0-9a-f]{64}$/.test(local) && (await exists(this.entryDir(local)))) return local;
    const shared = await this.remote?.recipe(recipeKey);
    return shared && /^[0-9a-f]{64}$/.test(shared) && (await this.has(shared)) ? shared : undefined;
  }

  async linkRecipe(recipeKey: string, entryKey: string): Promise<void> {
    await mkdir(join(this.dir, 'recipes'), { recursive: true });
    await writeFileAtomic(join(this.dir, 'recipes', recipeKey), `${entryKey}\n`);
    await this.remote?.linkRecipe(recipeKey, entryKey);
  }

  async remove(key: string): Promise<void> {
    // rename first so a half-removed entry is never seen under its key
    const doomed = this.tempFolder(`removing-${key}`);
    await mkdir(join(this.dir, 'tmp'), { recursive: true });
    try {
      await rename(this.entryDir(key), doomed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await rm(doomed, { recursive: true, force: true });
  }

  /** Every entry with its manifest (undefined for a corrupt one) and its size in bytes. */
  async list(): Promise<{ key: string; manifest?: CacheManifest; bytes: number }[]> {
    const keys = (await readdir(join(this.dir, 'entries')).catch(() => [] as string[])).filter((name) =>
      KEY.test(name),
    );
    const entries = [];
    for (const key of keys.sort()) {
      const manifest = await this.manifest(key).catch(() => undefined);
      const bytes = manifest ? Object.values(manifest.files).reduce((sum, file) => sum + file.size, 0) : 0;
      entries.push({ key, manifest, bytes });
    }
    return entries;
  }

  /** The remote's complete entries, like `list()`; undefined without a remote that can list them. */
  async listRemote(): Promise<{ key: string; manifest?: CacheManifest; bytes: number }[] | undefined> {
    if (!this.remote?.list) return undefined;
    return (await this.remote.list()).map(({ key, manifest: text }) => {
      let manifest: CacheManifest | undefined;
      try {
        manifest = parseManifest(key, text);
      } catch {
        manifest = undefined; // listed as corrupt, as a local one would be
      }
      return {
        key,
        manifest,
        bytes: manifest ? Object.values(manifest.files).reduce((sum, file) => sum + file.size, 0) : 0,
      };
    });
  }

  /** Removes entries (all, or those created before `olderThan`) and leftovers of crashed writes. */
  async clean(options: { olderThan?: Date } = {}): Promise<number> {
    let removed = 0;
    for (const entry of await this.list()) {
      const created = entry.manifest ? new Date(entry.manifest.createdAt) : undefined;
      if (!options.olderThan || !created || created < options.olderThan) {
        await this.remove(entry.key);
        removed++;
      }
    }
    await this.sweepRecipes();
    await this.sweepTemp();
    return removed;
  }

  /** Removes recipe links whose entry is gone. */
  private async sweepRecipes(): Promise<void> {
    for (const recipeKey of (await readdir(join(this.dir, 'recipes')).catch(() => [] as string[])).filter((name) =>
      KEY.test(name),
    )) {
      if (!(await this.recipe(recipeKey))) await rm(join(this.dir, 'recipes', recipeKey), { force: true });
    }
  }

  /** Removes our temp folders left by processes that no longer run (a `kill -9` mid-write), and recipe links such a process was writing; nothing else. */
  async sweepTemp(): Promise<void> {
    const names = await readdir(join(this.dir, 'tmp')).catch(() => [] as string[]);
    for (const name of names) {
      const pid = Number(OWN_TEMP.exec(name)?.[1] ?? NaN);
      if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid))
        await rm(join(this.dir, 'tmp', name), { recursive: true, force: true });
    }
    for (const name of await readdir(join(this.dir, 'recipes')).catch(() => [] as string[])) {
      const pid = Number(TEMP_PATH.exec(name)?.[1]);
      if (pid && pid !== process.pid && !processAlive(pid)) await rm(join(this.dir, 'recipes', name), { force: true });
    }
  }
}

/** Entry `key`'s manifest.json, checked; a CorruptEntryError says what is wrong with it. */
function parseManifest(key: string, text: string): CacheManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CorruptEntryError(key, 'manifest.json is not valid JSON');
  }
  const parsed = cacheManifestSchema.safeParse(json);
  if (!parsed.success) {
    const [issue] = formatZodIssues(parsed.error, '');
    throw new CorruptEntryError(
      key,
      `manifest.json is not a cache manifest (${issue.includes(': ') ? issue : `top level: ${issue}`})`,
    );
  }
  if (parsed.data.key !== key)
    throw new CorruptEntryError(key, `manifest.json describes another entry (${parsed.data.key.slice(0, 12)})`);
  return parsed.data;
}

/** A port's content: its codec and each of its files' checksums. Equal outputs, equal hashes. */
export function portContentHash(kind: string, files: Record<string, string>): string {
  return sha256(canonicalJson({ kind, files }));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
