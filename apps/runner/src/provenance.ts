import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, cpus, hostname, platform, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import type { Machine, Provenance } from './runs/run-records.js';
import { cliVersion } from './version.js';

export const thisMachine = (): Machine => ({
  host: hostname(),
  os: `${platform()} ${release()} ${arch()}`,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  node: process.version,
});

const PACKAGES = [
  'stagegraph',
  '@stagegraph/pipeline',
  '@stagegraph/core-tensor',
  '@stagegraph/preprocess',
  '@stagegraph/models-lstm',
  '@stagegraph/models-cnn',
  '@stagegraph/models-classical',
  '@stagegraph/metrics',
  '@stagegraph/viz',
  '@stagegraph/forecast',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-node',
];

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/**
 * What a run ran with: git commit, package versions (read from their package.json files, so nothing
 * is loaded for it), the machine. The backend and its native kernels are the run's own (`LazyBackend`).
 */
export async function provenance(configDir: string): Promise<Omit<Provenance, 'nativeKernels'>> {
  const [versions, git] = await Promise.all([packageVersions(), gitState(configDir)]);
  return { ...(git && { git }), versions, machine: thisMachine() };
}

async function packageVersions(): Promise<Record<string, string>> {
  const read = async (name: string) =>
    name === 'stagegraph'
      ? cliVersion()
      : (JSON.parse(await readFile(require.resolve(`${name}/package.json`), 'utf8')).version as string);
  // not installed (tfjs-node is optional): left out
  const found = await Promise.all(
    PACKAGES.map(async (name) => [name, await read(name).catch(() => undefined)] as const),
  );
  return Object.fromEntries(found.filter((entry): entry is readonly [string, string] => entry[1] !== undefined));
}

async function gitState(configDir: string): Promise<Provenance['git']> {
  try {
    const [commit, status] = await Promise.all([
      run('git', ['rev-parse', 'HEAD'], { cwd: configDir, timeout: 5000 }),
      run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: configDir, timeout: 5000 }),
    ]);
    return { commit: commit.stdout.trim(), dirty: status.stdout.trim() !== '' };
  } catch {
    return undefined; // no git, or not a checkout
  }
}
