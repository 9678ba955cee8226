import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { folderSize } from './folder-size.js';
import { startLocalRegistry, type LocalRegistry } from './local-registry.js';
import { missingPrints, readmeBlocks } from './readme-blocks.js';

// The reuse promise, kept for real: every package is packed as `npm publish` would, published to a
// verdaccio on 127.0.0.1, installed from there into an empty folder outside the repo by the
// README's own install lines, and the README's examples are run there.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const run = promisify(execFile);
const MB = 1024 * 1024;

const PACKAGES = [
  { name: '@stagegraph/pipeline', dir: 'packages/pipeline', tensors: false },
  { name: '@stagegraph/contracts', dir: 'packages/contracts', tensors: false },
  { name: '@stagegraph/metrics', dir: 'packages/metrics', tensors: false, maxBytes: 30 * MB },
  { name: '@stagegraph/preprocess', dir: 'packages/preprocess', tensors: false },
  { name: '@stagegraph/viz', dir: 'packages/viz', tensors: false },
  // DuckDB's prebuilt binary (about 70 MB) comes with it, no TensorFlow.js
  { name: '@stagegraph/tables', dir: 'packages/tables', tensors: false, maxBytes: 150 * MB },
  { name: '@stagegraph/core-tensor', dir: 'packages/core-tensor', tensors: true },
  { name: '@stagegraph/models-lstm', dir: 'packages/models-lstm', tensors: true },
  { name: '@stagegraph/models-cnn', dir: 'packages/models-cnn', tensors: true },
  { name: '@stagegraph/models-classical', dir: 'packages/models-classical', tensors: true },
  { name: '@stagegraph/forecast', dir: 'packages/forecast', tensors: true },
  { name: 'stagegraph', dir: 'apps/runner', tensors: true },
];
/** core-tensor's optional dependency: the native kernels prebuilt with oneDNN, published with its binaries. */
const PLATFORM = { name: '@stagegraph/core-tensor-linux-x64', dir: 'packages/core-tensor-linux-x64' };
const platformBuilt = existsSync(join(root, PLATFORM.dir, 'stagegraph-native.node'));
let platformTarballBytes: number | undefined;

/**
 * The environment of a user's shell: none of the settings of the `npm test`, Nx and jest that started
 * this (npm_*, NX_*, NODE_OPTIONS, and FORCE_COLOR, which would colour numbers in piped output).
 */
const userEnv = (): NodeJS.ProcessEnv => {
  const inherited = (key: string) =>
    /^(npm_|nx_|jest_)/i.test(key) || ['NODE_OPTIONS', 'INIT_CWD', 'FORCE_COLOR'].includes(key);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !inherited(key)));
  return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
};
const sh = (command: string, cwd: string) => run('bash', ['-c', command], { cwd, env: userEnv(), maxBuffer: 64 * MB });

let work: string;
let registry: LocalRegistry;
const installed: Record<string, { bytes: number; tfjs: boolean }> = {};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'stagegraph-registry-'));
  const upstream = (await sh('npm config get registry', work)).stdout.trim();
  registry = await startLocalRegistry(join(work, 'registry'), upstream);
  const npmrc = join(work, 'publish.npmrc');
  await writeFile(
    npmrc,
    `registry=${registry.url}\n//${registry.url.replace(/^http:\/\//, '')}:_authToken=${registry.token}\n`,
  );
  await mkdir(join(work, 'tarballs'));
  const tarballs = join(work, 'tarballs');
  // the platform package through its pack.js (which adds os, cpu and libc), where it is built; unbuilt,
  // core-tensor's optional dependency is missing from the registry and npm installs without it
  const packs = [
    ...(platformBuilt ? [{ dir: PLATFORM.dir, command: `node pack.js ${JSON.stringify(tarballs)}` }] : []),
    ...PACKAGES.map(({ dir }) => ({ dir, command: `npm pack --json --pack-destination ${JSON.stringify(tarballs)}` })),
  ];
  for (const { dir, command } of packs) {
    const { stdout } = await sh(command, join(root, dir));
    const [{ filename, size }] = JSON.parse(stdout) as { filename: string; size: number }[];
    if (dir === PLATFORM.dir) platformTarballBytes = size;
    await sh(`npm publish ${JSON.stringify(join(tarballs, filename))} --userconfig ${JSON.stringify(npmrc)}`, work);
  }
});

afterAll(async () => {
  await registry?.stop();
  if (Object.keys(installed).length) {
    const rows = Object.entries(installed).map(
      ([name, { bytes, tfjs }]) =>
        `  ${name.padEnd(24)} ${(bytes / MB).toFixed(1).padStart(7)} MB${tfjs ? '  (with TensorFlow.js)' : ''}`,
    );
    process.stdout.write(`installed size with dependencies, each package alone:\n${rows.join('\n')}\n`);
    await mkdir(join(root, 'apps/registry-e2e/test-output'), { recursive: true });
    await writeFile(
      join(root, 'apps/registry-e2e/test-output/installed-sizes.json'),
      JSON.stringify(installed, null, 2) + '\n',
    );
  }
  if (work) await rm(work, { recursive: true, force: true });
});

describe('packages installed from a registry', () => {
  it.each(PACKAGES)(
    '$name installs into an empty folder by its README and runs its examples',
    async ({ name, dir, tensors, maxBytes }) => {
      const readme = await readFile(join(root, dir, 'README.md'), 'utf8');
      const blocks = readmeBlocks(readme);
      const installs = blocks
        .filter((b) => b.kind === 'install')
        .flatMap((b) => b.code.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#')));
      const examples = blocks.filter((b) => b.kind !== 'install');
      expect(installs[0]).toMatch(new RegExp(`^npm install ${name.replace('/', '\\/')}( |$)`));
      expect(examples.length).toBeGreaterThan(0);

      const folder = join(work, `try-${name.replace(/[@/]/g, '-')}`);
      await mkdir(folder);
      await writeFile(join(folder, 'package.json'), JSON.stringify({ name: 'try-it', private: true, type: 'module' }));
      await writeFile(join(folder, '.npmrc'), `registry=${registry.url}\n`);
      for (const [i, line] of installs.entries()) {
        await sh(line, folder);
        if (i > 0) continue;
        // the package alone, before any extra the README asks for
        installed[name] = {
          bytes: await folderSize(join(folder, 'node_modules')),
          tfjs: existsSync(join(folder, 'node_modules/@tensorflow')),
        };
        expect(installed[name].tfjs).toBe(tensors);
        if (maxBytes) expect(installed[name].bytes).toBeLessThan(maxBytes);
      }
      // what was installed is what this repo has: the README shipped in the package is this one
      expect(await readFile(join(folder, 'node_modules', name, 'README.md'), 'utf8')).toBe(readme);

      for (const [i, example] of examples.entries()) {
        const file = join(folder, example.kind === 'js' ? `example-${i}.mjs` : `example-${i}.sh`);
        await writeFile(file, example.code);
        const { stdout } = await sh(
          example.kind === 'js' ? `node ${JSON.stringify(file)}` : `bash -e ${JSON.stringify(file)}`,
          folder,
        ).catch((error) => {
          throw new Error(
            `${dir}/README.md example ${i + 1} failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`,
          );
        });
        expect({ example: i + 1, missing: missingPrints(stdout, example.prints), stdout }).toEqual({
          example: i + 1,
          missing: [],
          stdout,
        });
      }
    },
  );
});

describe('a project made by stagegraph init', () => {
  it('installs from the registry, passes its own tests and runs its pipeline (--template plugin)', async () => {
    const folder = join(work, 'try-init');
    await mkdir(folder);
    await writeFile(join(folder, 'package.json'), JSON.stringify({ name: 'try-init', private: true, type: 'module' }));
    await writeFile(join(folder, '.npmrc'), `registry=${registry.url}\n`);
    await sh('npm install stagegraph', folder);
    await sh('npx stagegraph init my-plugin --template plugin', folder);
    const project = join(folder, 'my-plugin');
    await writeFile(join(project, '.npmrc'), `registry=${registry.url}\n`); // a user's would name their registry, or none
    await sh('npm install', project);
    const { stdout } = await sh('npm test', project);
    expect(stdout).toMatch(/^# pass 2$/m);
    expect(stdout).toMatch(/^# fail 0$/m);
    const run = await sh('npx stagegraph run pipeline.json --backend cpu --quiet', project);
    expect(run.stdout).toMatch(/: 2 stages computed, 0 from cache/);
  });
});

/** The installed addon's dependencies by name, from ldd: `libdnnl.so.2` => its path. */
async function lddPaths(file: string, cwd: string): Promise<Record<string, string>> {
  const { stdout } = await sh(`ldd ${JSON.stringify(file)}`, cwd);
  return Object.fromEntries([...stdout.matchAll(/^\s*(\S+) => (\S+)/gm)].map((m) => [m[1], m[2]]));
}

const nativeCheck = `import { describeBackend, nativeKernelRuns, nativeKernelsStatus, selectBackend, tf } from '@stagegraph/core-tensor';
const { threads } = await selectBackend('wasm');
const conv = tf.conv2d(tf.ones([1, 16, 16, 8]), tf.ones([3, 3, 8, 8]), 1, 'same').max().dataSync()[0];
console.log(JSON.stringify({ status: nativeKernelsStatus(), backend: describeBackend('wasm', threads), conv, runs: nativeKernelRuns }));`;

// The platform package is how a user on linux-x64 gets the native kernels: npm picks it by os, cpu and
// libc. CI always builds it (.ci/run), so there it cannot be skipped.
(platformBuilt || process.env['CI'] ? describe : describe.skip)(
  `core-tensor's native kernels from the registry (${PLATFORM.name})${platformBuilt || process.env['CI'] ? '' : ': skipped, the platform package is not built here (node packages/core-tensor-linux-x64/build.js)'}`,
  () => {
    it('come with npm install @stagegraph/core-tensor, load from its node_modules, compute, and find oneDNN beside them', async () => {
      expect(platformTarballBytes).toBeLessThan(20 * MB);
      const folder = join(work, 'try-native');
      await mkdir(folder);
      await writeFile(
        join(folder, 'package.json'),
        JSON.stringify({ name: 'try-native', private: true, type: 'module' }),
      );
      await writeFile(join(folder, '.npmrc'), `registry=${registry.url}\n`);
      await sh('npm install @stagegraph/core-tensor @tensorflow/tfjs @tensorflow/tfjs-backend-wasm', folder);
      const installedAt = join(await realpath(folder), 'node_modules', PLATFORM.name);
      const addon = join(installedAt, 'stagegraph-native.node');
      // pack.js gave the published manifest the fields npm picks it by
      expect(JSON.parse(await readFile(join(installedAt, 'package.json'), 'utf8'))).toMatchObject({
        os: ['linux'],
        cpu: ['x64'],
        libc: ['glibc'],
      });
      await writeFile(join(folder, 'check.mjs'), nativeCheck);
      const { stdout } = await sh('node check.mjs', folder);
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
      expect(result).toMatchObject({
        status: { active: true, source: 'platform package', path: addon },
        backend: `wasm (1 thread) + oneDNN kernels (platform package ${PLATFORM.name})`,
        conv: 72, // 3 x 3 x 8 ones at an inner pixel (the largest sum)
      });
      expect(result.runs.dnnlConv2d).toBeGreaterThan(0); // oneDNN's convolution primitive computed it, not tfjs'

      // oneDNN and its dependencies from the package's lib/, never from the system's /usr/lib
      const paths = await lddPaths(addon, folder);
      for (const lib of ['libdnnl.so.2', 'libgomp.so.1', 'libOpenCL.so.1'])
        expect({ lib, path: paths[lib] }).toEqual({ lib, path: join(installedAt, 'lib', lib) });
    });

    it('is left out on another platform (npm --os darwin --cpu arm64), where core-tensor installs without it', async () => {
      const folder = join(work, 'try-native-mac');
      await mkdir(folder);
      await writeFile(join(folder, 'package.json'), JSON.stringify({ name: 'try-native-mac', private: true }));
      await writeFile(join(folder, '.npmrc'), `registry=${registry.url}\n`);
      await sh('npm install --os darwin --cpu arm64 --omit peer @stagegraph/core-tensor', folder);
      expect(existsSync(join(folder, 'node_modules', '@stagegraph', 'core-tensor'))).toBe(true);
      expect(existsSync(join(folder, 'node_modules', PLATFORM.name))).toBe(false);
    });
  },
);

// Where g++ and oneDNN are installed system-wide, a user without the platform package (another
// platform, or --omit=optional) builds the native kernels from source into the installed core-tensor.
const canBuildNative = existsSync('/usr/include/oneapi/dnnl/dnnl.h') || process.env['DNNL_ROOT'] !== undefined;
(canBuildNative ? describe : describe.skip)('core-tensor native kernels built from source', () => {
  it('npx stagegraph-build-native builds them into the installed package, and selectBackend uses them', async () => {
    const folder = join(work, 'try-native-source');
    await mkdir(folder);
    await writeFile(
      join(folder, 'package.json'),
      JSON.stringify({ name: 'try-native-source', private: true, type: 'module' }),
    );
    await writeFile(join(folder, '.npmrc'), `registry=${registry.url}\n`);
    await sh(
      'npm install --omit=optional @stagegraph/core-tensor @tensorflow/tfjs @tensorflow/tfjs-backend-wasm',
      folder,
    );
    expect(existsSync(join(folder, 'node_modules', PLATFORM.name))).toBe(false);
    const build = await sh('npx stagegraph-build-native', folder);
    expect(build.stdout).toContain('native kernels built');
    const addon = join(
      await realpath(folder),
      'node_modules/@stagegraph/core-tensor/native/build/stagegraph-native.node',
    );
    await writeFile(join(folder, 'check.mjs'), nativeCheck);
    const { stdout } = await sh('node check.mjs', folder);
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({
      status: { active: true, source: 'source build', path: addon },
      backend: 'wasm (1 thread) + oneDNN kernels (source build)',
      conv: 72,
    });
    expect(result.runs.dnnlConv2d).toBeGreaterThan(0);
  });
});
