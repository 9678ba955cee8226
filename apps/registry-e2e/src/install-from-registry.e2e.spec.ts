import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
  for (const { dir } of PACKAGES) {
    const { stdout } = await sh(
      `npm pack --json --pack-destination ${JSON.stringify(join(work, 'tarballs'))}`,
      join(root, dir),
    );
    const [{ filename }] = JSON.parse(stdout) as { filename: string }[];
    await sh(
      `npm publish ${JSON.stringify(join(work, 'tarballs', filename))} --userconfig ${JSON.stringify(npmrc)}`,
      work,
    );
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

// Where g++ and oneDNN are installed (always in CI, which installs them), the published core-tensor
// builds its optional native kernels in the user's project and uses them.
const canBuildNative = existsSync('/usr/include/oneapi/dnnl/dnnl.h') || process.env['DNNL_ROOT'] !== undefined;
(canBuildNative || process.env['CI'] ? describe : describe.skip)('core-tensor native kernels from the registry', () => {
  it('npx stagegraph-build-native builds them into the installed package, and selectBackend uses them', async () => {
    const folder = join(work, 'try-native');
    await mkdir(folder);
    await writeFile(
      join(folder, 'package.json'),
      JSON.stringify({ name: 'try-native', private: true, type: 'module' }),
    );
    await writeFile(join(folder, '.npmrc'), `registry=${registry.url}\n`);
    await sh('npm install @stagegraph/core-tensor @tensorflow/tfjs @tensorflow/tfjs-backend-wasm', folder);
    const build = await sh('npx stagegraph-build-native', folder);
    expect(build.stdout).toContain('native kernels built');
    expect(existsSync(join(folder, 'node_modules/@stagegraph/core-tensor/native/build/stagegraph-native.node'))).toBe(
      true,
    );
    const script = `import { describeBackend, nativeKernelsStatus, selectBackend, tf } from '@stagegraph/core-tensor';
const { threads } = await selectBackend('wasm');
const product = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dataSync()[0];
console.log(JSON.stringify({ status: nativeKernelsStatus(), backend: describeBackend('wasm', threads), product }));`;
    await writeFile(join(folder, 'check.mjs'), script);
    const { stdout } = await sh('node check.mjs', folder);
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
      status: { active: true },
      backend: 'wasm (1 thread) + oneDNN kernels',
      product: 64,
    });
  });
});
