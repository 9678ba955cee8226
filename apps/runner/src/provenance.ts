import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, cpus, hostname, platform, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { currentBackend, nativeKernelsStatus } from '@stagegraph/core-tensor';
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

export async function provenance(configDir: string): Promise<Provenance> {
  const versions: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      versions[name] = name === 'stagegraph' ? cliVersion() : JSON.parse(await readFile(require.resolve(`${name}/package.json`), 'utf8')).version;
    } catch {
      // not installed (tfjs-node is optional)
    }
  }
  try {
    const commit = (await run('git', ['rev-parse', 'HEAD'], { cwd: configDir, timeout: 5000 })).stdout.trim();
    const status = (await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: configDir, timeout: 5000 })).stdout;
    return { git: { commit, dirty: status.trim() !== '' }, versions, machine: thisMachine(), ...nativeKernels() };
  } catch {
    return { versions, machine: thisMachine(), ...nativeKernels() }; // no git, or not a checkout
  }
}

/** The native kernels in use, named, when wasm computes with them. */
const nativeKernels = (): Pick<Provenance, 'nativeKernels'> => (currentBackend() === 'wasm' && nativeKernelsStatus().active ? { nativeKernels: 'oneDNN' } : {});
