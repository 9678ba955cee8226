import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Every command builds the registry of built-in stages and codecs (workspace-registry.ts). Importing
// it must load no TensorFlow.js and no Vega: each stage loads those when it runs, each codec when it
// first loads or saves a value, so a run whose stages all come from the cache loads neither.

const runner = join(dirname(fileURLToPath(import.meta.url)), '..');
const HEAVY = /\/node_modules\/(@tensorflow\/|vega)/;

// A module loader hook (in Node's loader thread) that writes down every module it loads, ESM or the
// CommonJS entry an import reaches; CommonJS required from CommonJS is in require.cache.
const HOOKS = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, nextLoad) { appendFileSync(log, url + '\\n'); return nextLoad(url, context); }
`;
const REGISTER = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), import.meta.url, { data: { log: process.env.SG_LOAD_LOG } });
`;
const CHILD = `
import { createRequire } from 'node:module';
await import(process.env.SG_IMPORT);
process.stdout.write(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));
`;

/** The files a fresh Node process loads to import `url` (built modules: run after the build). */
async function modulesLoadedBy(url: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'sg-load-'));
  try {
    const log = join(dir, 'loaded.txt');
    const child = spawnSync(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, '--input-type=module', '-e', CHILD],
      {
        cwd: runner,
        env: { ...process.env, SG_IMPORT: url, SG_LOAD_LOG: log },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    if (child.status !== 0)
      throw new Error(`importing ${url} failed (${child.status ?? child.signal}): ${child.stderr}`);
    const viaImport = (await readFile(log, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((u) => (u.startsWith('file:') ? fileURLToPath(u) : u));
    return [...new Set([...viaImport, ...(JSON.parse(child.stdout) as string[])])];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the built-in stage definitions', () => {
  it('load no TensorFlow.js and no Vega: the registry every command builds imports definitions and codecs only', async () => {
    const loaded = await modulesLoadedBy(pathToFileURL(join(runner, 'dist', 'workspace-registry.js')).href);
    expect(loaded.some((file) => file.includes('/packages/models-cnn/dist/stages/train.stage.js'))).toBe(true); // the hook saw the stages load
    expect(loaded.filter((file) => HEAVY.test(file))).toEqual([]);
  });

  it('would be caught: importing core-tensor itself loads TensorFlow.js, which the check sees', async () => {
    const loaded = await modulesLoadedBy('@stagegraph/core-tensor');
    expect(loaded.some((file) => /\/node_modules\/@tensorflow\/tfjs\//.test(file))).toBe(true);
  });
});
