import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cli } from './test-support/cli-in-process.js';

// inside the repo, where the template's imports (@stagegraph/pipeline, zod) resolve to the workspace's
// packages; apps/registry-e2e installs a project made by init from a registry instead
const scratch = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output', `init-${process.pid}`);
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe.each([
  ['forecast', 'weekly-closes', 'mine.weekly-closes', 5, 3],
  ['digits', 'label-counts', 'mine.label-counts', 8, 2],
  ['images', 'class-counts', 'mine.class-counts', 8, 2],
  ['table', 'class-balance', 'mine.class-balance', 13, 2],
])('stagegraph init --template %s', (template, file, stageType, stageCount, testCount) => {
  it('makes a project with its own stage, whose tests pass and whose pipeline uses it and validates', async () => {
    const dir = join(scratch, template);
    const made = await cli('init', dir, '--template', template);
    expect(made.code).toBe(0);
    expect((await readdir(join(dir, 'src'))).sort()).toEqual(['index.mjs', `${file}.mjs`].sort());
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg.description).toContain(
      { forecast: 'forecasting', digits: 'MNIST', images: 'image', table: 'table' }[template],
    );
    const pipeline = JSON.parse(await readFile(join(dir, 'pipeline.json'), 'utf8'));
    expect(pipeline.$schema).toBe('./pipeline.schema.json');
    expect(Object.values(pipeline.stages).map((s) => (s as { type: string }).type)).toContain(stageType);
    const tests = await promisify(execFile)(process.execPath, ['--test'], { cwd: dir });
    expect(tests.stdout).toMatch(new RegExp(`^# pass ${testCount}$`, 'm'));
    expect(tests.stdout).toMatch(/^# fail 0$/m);
    // from the project, as `npm start` runs it: validate looks at the data its paths name (the images template's folder)
    const cwd = process.cwd();
    process.chdir(dir);
    const validated = await cli('validate', 'pipeline.json', '--json').finally(() => process.chdir(cwd));
    expect(JSON.parse(validated.out)).toMatchObject({
      ok: true,
      pipeline: template,
      stages: expect.arrayContaining([expect.objectContaining({ type: stageType })]),
    });
    expect(JSON.parse(validated.out).stages).toHaveLength(stageCount);
  });
});

describe('stagegraph init --template images', () => {
  it('writes a sample folder the pipeline reads out of the box', async () => {
    const dir = join(scratch, 'images-run');
    const made = await cli('init', dir, '--template', 'images', '--json');
    expect(made.code).toBe(0);
    const files: string[] = JSON.parse(made.out).files;
    expect(files.filter((f) => f.startsWith('images/'))).toHaveLength(180);
    expect(files).toEqual(expect.arrayContaining(['images/circle/circle-000.png', 'images/triangle/triangle-002.bmp']));
    const cwd = process.cwd();
    process.chdir(dir); // as `npm start` runs it: the sample folder relative to the project
    try {
      const ran = await cli('run', 'pipeline.json', '--backend', 'wasm', '--set', 'stages.train.params.epochs=1');
      expect(ran.err).toBe('');
      expect(ran.code).toBe(0);
      expect(ran.out).toContain('data: 180 images in 3 classes: circle 60, square 60, triangle 60\n');
      expect(ran.out).toContain('balance: training images per class: circle 42, square 42, triangle 42\n');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('stagegraph init --template plugin', () => {
  it('makes a project whose tests pass and whose pipeline validates', async () => {
    const dir = join(scratch, 'My Plugin');
    const made = await cli('init', dir, '--template', 'plugin');
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/^created .*My Plugin from the plugin template \(stagegraph \d+\.\d+\.\d+\)\n/);
    expect(made.out).toMatch(/^its @stagegraph packages are file: links to the checkout at .+\nnext:\n/m);
    expect((await readdir(dir)).sort()).toEqual([
      'README.md',
      'package.json',
      'pipeline.json',
      'pipeline.schema.json',
      'src',
      'test',
    ]);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('my-plugin');
    // run from this repository, whose packages are on no public registry: links to them (installed CLIs write ranges: registry-e2e)
    const checkout = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
    expect(pkg.dependencies['@stagegraph/pipeline']).toBe(
      `file:${join(realpathSync(checkout), 'packages', 'pipeline')}`,
    );
    expect(pkg.devDependencies.stagegraph).toBe(`file:${join(realpathSync(checkout), 'apps', 'runner')}`);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toMatch(/^# my-plugin\n/);

    const tests = await promisify(execFile)(process.execPath, ['--test'], { cwd: dir });
    expect(tests.stdout).toMatch(/^# pass 2$/m);
    expect(tests.stdout).toMatch(/^# fail 0$/m);
    const validated = await cli('validate', join(dir, 'pipeline.json'));
    expect(validated.out).toMatch(/^ok: .*pipeline\.json: pipeline "my-plugin", 2 stages$/m);
  });

  it('installs, tests and runs outside the repository with npm alone, no registry holding @stagegraph', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'sg-init-'));
    try {
      const dir = join(outside, 'plugin');
      expect((await cli('init', dir, '--template', 'plugin')).code).toBe(0);
      const npm = (...args: string[]) =>
        promisify(execFile)('npm', [...args], { cwd: dir, timeout: 240_000, env: { ...process.env, CI: 'true' } });
      await npm('install', '--no-audit', '--no-fund');
      expect((await npm('test')).stdout).toMatch(/^# fail 0$/m);
      expect((await npm('start')).stdout).toMatch(/^finished in .*: 2 stages computed/m);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  }, 300_000);

  it('prints what it made with --json', async () => {
    const dir = join(scratch, 'as-json');
    const made = await cli('init', dir, '--json');
    expect(made.code).toBe(0);
    expect(JSON.parse(made.out)).toEqual({
      created: dir,
      template: 'plugin',
      stagegraph: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      linkedTo: expect.any(String),
      files: [
        'README.md',
        'package.json',
        'pipeline.json',
        'pipeline.schema.json',
        'src/index.mjs',
        'src/rolling-mean.mjs',
        'test/rolling-mean.test.mjs',
      ],
    });
  });

  it('refuses a folder that holds anything, exit 2, and writes nothing', async () => {
    const dir = join(scratch, 'taken');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const { code, err } = await cli('init', dir);
    expect(code).toBe(2);
    expect(err).toMatch(/^error: .*taken: expected a new or empty folder, got one holding 1 entry\n/);
    expect(await readdir(dir)).toEqual(['notes.txt']);
    expect((await readdir(scratch)).filter((n) => n.startsWith('.tmp-init-'))).toEqual([]);
  });

  it('refuses a symbolic link (dangling or not) and a name with control characters in one line, exit 2', async () => {
    await mkdir(scratch, { recursive: true });
    const dangling = join(scratch, 'dangling');
    await symlink('/nonexistent-stagegraph', dangling);
    expect(await cli('init', dangling)).toMatchObject({
      code: 2,
      err: `error: ${dangling}: expected a new or empty folder, got a symbolic link; name the folder it points to, or another\n`,
    });
    const escaped = join(scratch, 'e\u001b[2J');
    expect(await cli('init', escaped)).toMatchObject({
      code: 2,
      err: `error: ${join(scratch, 'e\\x1b[2J')}: expected a new or empty folder, got a name with control characters\n`,
    });
    expect((await readdir(scratch)).filter((n) => n.startsWith('.tmp-init-') || n.startsWith('e'))).toEqual([]);
  });

  it('refuses a file, a folder under a file and a place that takes no folders (/proc) in one line, exit 2', async () => {
    const file = join(scratch, 'a-file');
    await mkdir(scratch, { recursive: true });
    await writeFile(file, 'mine');
    expect(await cli('init', file)).toMatchObject({
      code: 2,
      err: `error: ${file}: expected a new or empty folder, got a file\n`,
    });
    expect(await cli('init', join(file, 'x'))).toMatchObject({
      code: 2,
      err: `error: ${join(file, 'x')}: expected a new or empty folder, got a file where a folder should be (ENOTDIR)\n`,
    });
    // Node's own mkdir -p spins at 100% CPU here: the kernel says ENOENT for a folder whose parent exists
    expect(await cli('init', '/proc/stagegraph-init/x')).toMatchObject({
      code: 2,
      err: 'error: /proc/stagegraph-init/x: expected a new or empty folder, got a file system that takes no new folders or files (ENOENT)\n',
    });
    // a folder even root cannot write in (sysfs): EPERM here, EROFS where /sys is mounted read-only, EACCES for a user
    const readOnly = await cli('init', '/sys/stagegraph-init');
    expect(readOnly.code).toBe(2);
    expect(readOnly.err).toMatch(
      /^error: \/sys\/stagegraph-init: expected a new or empty folder, got (no permission to write|a read-only file system) \((EPERM|EACCES|EROFS)\)\n$/,
    );
    expect(await readFile(file, 'utf8')).toBe('mine');
  }, 20_000);
});
