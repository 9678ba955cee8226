import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Remote } from './s3-remote.js';
import { cli } from '../test-support/cli-in-process.js';

let dir: string;
const cwd = process.cwd();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-open-cache-'));
  process.chdir(dir);
});
afterAll(async () => {
  process.chdir(cwd);
  await rm(dir, { recursive: true, force: true });
});

describe('--cache-dir: what a cache folder may be', () => {
  it('refuses a folder that is not a cache, and leaves what another tool keeps in its tmp/ alone', async () => {
    await mkdir(join('project', 'tmp', 'session-999999-0badf00d'), { recursive: true });
    await writeFile(join('project', 'tmp', 'session-999999-0badf00d', 'state'), 'theirs');
    await writeFile(join('project', 'tmp', 'notes.txt'), 'theirs');
    await writeFile(join('project', 'notes.txt'), 'theirs');
    for (const command of [
      ['cache', 'clean'],
      ['cache', 'ls'],
    ]) {
      expect(await cli(...command, '--cache-dir', 'project')).toEqual({
        code: 2,
        out: '',
        err: 'error: --cache-dir project: expected a StageGraph cache (a folder with .stagegraph-cache) or an empty folder, got a folder with other files (e.g. notes.txt)\n',
      });
    }
    expect((await readdir('project')).sort()).toEqual(['notes.txt', 'tmp']);
    expect((await readdir(join('project', 'tmp'))).sort()).toEqual(['notes.txt', 'session-999999-0badf00d']);
  });

  it('refuses / before it creates or sweeps anything there', async () => {
    const { code, err } = await cli('cache', 'ls', '--cache-dir', '/');
    expect(code).toBe(2);
    expect(err).toMatch(
      /^error: --cache-dir \/: expected a StageGraph cache \(a folder with \.stagegraph-cache\) or an empty folder, got a folder with other files \(e\.g\. [^)]+\)\n$/,
    );
    expect(existsSync('/entries') || existsSync('/recipes') || existsSync('/.stagegraph-cache')).toBe(false);
  });

  it('makes a cache of a new folder, marked as one, and opens it again; cache ls of a missing folder creates nothing', async () => {
    expect(await cli('cache', 'ls', '--cache-dir', join('new', 'cache'))).toMatchObject({
      code: 0,
      out: `cache ${join('new', 'cache')} is empty\n`,
    });
    expect(existsSync('new')).toBe(false); // a mistyped path stays a mistake, not a new folder
    expect(await cli('cache', 'clean', '--cache-dir', join('new', 'cache'))).toMatchObject({ code: 0 });
    expect(JSON.parse(await readFile(join('new', 'cache', '.stagegraph-cache'), 'utf8'))).toEqual({
      stagegraphCache: 1,
    });
    expect(await cli('cache', 'ls', '--cache-dir', join('new', 'cache'))).toMatchObject({ code: 0 });
  });

  it('refuses a folder under /proc in one line, instead of spinning in mkdir', async () => {
    // Node's recursive mkdir retries for ever there: the kernel says ENOENT for a folder whose parent exists
    expect(await cli('cache', 'clean', '--cache-dir', '/proc/stagegraph-cache/x')).toEqual({
      code: 2,
      out: '',
      err: 'error: --cache-dir /proc/stagegraph-cache/x: expected a writable folder, got a file system that takes no new folders or files (ENOENT)\n',
    });
  }, 20_000);
});

describe('--cache-dir s3://: what is a bucket URL', () => {
  it.each([
    [
      's3://sg-cache/../../x',
      'expected a prefix of names separated by single slashes, got "../../x" (with an empty, "." or ".." part)',
    ],
    [
      's3://sg-cache/a//b',
      'expected a prefix of names separated by single slashes, got "a//b" (with an empty, "." or ".." part)',
    ],
    ['s3://sg-cache/p?x=1#f', 'expected s3://<bucket>/<prefix> without a ?query or #fragment, got "?x=1#f"'],
    [
      's3:sg-cache',
      'expected s3://<bucket>/<prefix>, got "s3:" without "//"; did you mean s3://sg-cache? (a folder of that name: ./s3:sg-cache)',
    ],
    [
      'S3:/sg-cache/x',
      'expected s3://<bucket>/<prefix>, got "s3:" without "//"; did you mean s3://sg-cache/x? (a folder of that name: ./S3:/sg-cache/x)',
    ],
    [
      'gs://sg-cache/x',
      'expected a folder or s3://<bucket>/<prefix>, got a gs:// URL (S3 and S3-compatible stores are the remote caches there are)',
    ],
    [
      'file:///tmp/x',
      'expected a folder or s3://<bucket>/<prefix>, got a file:// URL (S3 and S3-compatible stores are the remote caches there are)',
    ],
  ])('refuses %s in one line, exit 2, and makes no folder for it', async (url, message) => {
    expect(await cli('cache', 'ls', '--cache-dir', url)).toEqual({
      code: 2,
      out: '',
      err: `error: --cache-dir ${url}: ${message}\n`,
    });
    expect(await readdir('.')).not.toContain('s3:sg-cache');
    expect(existsSync(join('.stagegraph', 'x'))).toBe(false);
  });
});

describe('--cache-dir: nothing at all', () => {
  it("is one line, exit 2, not mkdir's raw ENOENT", async () => {
    expect(await cli('cache', 'clean', '--cache-dir', '')).toEqual({
      code: 2,
      out: '',
      err: 'error: --cache-dir: expected a folder or s3://<bucket>/<prefix>, got nothing\n',
    });
  });
});

describe('--cache-dir s3://: the local copy', () => {
  it('keeps one folder per prefix, none inside another (s3://b/a/b before s3://b/a made s3://b/a "not a cache")', async () => {
    const dirs = ['s3://sg-cache', 's3://sg-cache/a', 's3://sg-cache/a/b'].map((url) => S3Remote.parse(url).localDir);
    expect(dirs).toEqual([
      join('.stagegraph', 's3', 'sg-cache', 'root'),
      join('.stagegraph', 's3', 'sg-cache', 'prefix-a'),
      join('.stagegraph', 's3', 'sg-cache', 'prefix-a%2Fb'),
    ]);
  });
});
