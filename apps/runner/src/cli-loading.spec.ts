import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeSyntheticRuns } from './test-support/synthetic-runs.js';
import { newestRun, tinyWorkspace } from './test-support/tiny-pipeline.js';

/**
 * What the built CLI loads, command by command: a `--import` hook records the URL of every module
 * the process resolves. A command that needs no tensors, charts, images, S3 or queue must answer
 * without loading their libraries (they take seconds between them).
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', 'bin', 'stagegraph.js');
const REGISTRY = join(HERE, '..', 'dist', 'workspace-registry.js');
const HEAVY = /\/node_modules\/(@tensorflow\/[^/]+|vega[^/]*|sharp|@aws-sdk\/[^/]+|bullmq|ioredis|playwright[^/]*)\//;
/** The runner's own door to TensorFlow.js (tensors/lazy-backend.ts loads it when a backend must start). */
const TENSOR_RUNTIME = /\/apps\/runner\/dist\/tensors\/tensor-runtime\.js$/;

jest.setTimeout(180_000);
let dir: string;
let ws: Awaited<ReturnType<typeof tinyWorkspace>>;
let runs: Awaited<ReturnType<typeof writeSyntheticRuns>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sg-loading-'));
  await writeFile(
    join(dir, 'record.mjs'),
    "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url, { data: process.env.SG_LOADED });\n",
  );
  await writeFile(
    join(dir, 'hooks.mjs'),
    "import { appendFileSync } from 'node:fs';\nlet file;\nexport function initialize(data) { file = data; }\n" +
      "export async function resolve(specifier, context, next) { const found = await next(specifier, context); appendFileSync(file, found.url + '\\n'); return found; }\n",
  );
  ws = await tinyWorkspace();
  runs = await writeSyntheticRuns({ forecastRuns: 2, digitRun: false });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(ws.dir, { recursive: true, force: true });
  await rm(runs.dir, { recursive: true, force: true });
});

let calls = 0;
/** Runs `node <args>` with the hook: its exit code, the heavy libraries it loaded, and every module URL. */
function loading(
  args: string[],
  cwd = ws.dir,
): { code: number | null; libraries: string[]; urls: string[]; out: string } {
  const file = join(dir, `loaded-${++calls}.txt`);
  const child = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'record.mjs')).href, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, SG_LOADED: file },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024, // `stages --json` prints 1.6 MB: past spawnSync's 1 MB it would be killed (SIGTERM, exit 130)
  });
  const urls = (existsSync(file) ? readFileSync(file, 'utf8') : '').split('\n').filter(Boolean);
  const libraries = [
    ...new Set(urls.map((url) => HEAVY.exec(url)?.[1]).filter((name): name is string => !!name)),
  ].sort();
  return { code: child.status, libraries, urls, out: child.stdout + child.stderr };
}
const cli = (...args: string[]) => loading([BIN, ...args]);

/** The heavy libraries the built-in stage definitions load (TensorFlow.js and vega, until their packages load them lazily). */
const stageDefinitionLibraries = () =>
  loading(['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(REGISTRY).href)})`]).libraries;

describe('what each command loads', () => {
  it('--version, --help, runs ls and cache ls load no TensorFlow.js, vega, sharp, AWS SDK, BullMQ or playwright', () => {
    for (const args of [
      ['--version'],
      ['--help'],
      ['runs', 'ls', '--out', runs.runsDir],
      ['cache', 'ls', '--cache-dir', join(ws.dir, 'no-cache-here')],
    ]) {
      const { code, libraries, out } = cli(...args);
      expect({ args, code, out: code ? out : '' }).toEqual({ args, code: 0, out: '' });
      expect({ args, libraries }).toEqual({ args, libraries: [] });
    }
  });

  it('--version and --help load none of the workspace packages (not even the engine, zod or RxJS)', () => {
    for (const args of [['--version'], ['--help']]) {
      const { code, urls } = cli(...args);
      expect(code).toBe(0);
      const packages = urls.filter((url) => /\/packages\/[a-z-]+\/dist\/|\/node_modules\/(zod|rxjs)\//.test(url));
      expect({ args, packages }).toEqual({ args, packages: [] });
    }
  });

  it('predict refuses a --model that is not there before it loads TensorFlow.js', () => {
    const { code, libraries, out } = cli('predict', 'digit.png', '--model', join(ws.dir, 'no-such-run'));
    expect(code).toBe(2);
    expect(out).toMatch(/--model .*no-such-run: expected a model folder, model.json or run folder, got no such path/);
    expect(libraries).toEqual([]);
  });

  it('predict with a classical table model loads no TensorFlow.js: the rows predicted, exit 0', async () => {
    const model = join(dir, 'table-run', 'models', 'baseline');
    await mkdir(model, { recursive: true });
    const preparation = {
      format: 'stagegraph-table-preparation',
      label: 'y',
      task: 'regression',
      steps: [{ type: 'number', column: 'x', median: 0, mean: 0, std: 1, indicator: false }],
      features: ['x'],
    };
    const baseline = { format: 'stagegraph-table-model', kind: 'baseline', task: 'regression', label: 'y' };
    const trained = { ...baseline, features: ['x'], options: {}, trained: { values: [7.5] } };
    const card = { format: 'stagegraph-table-model-card', preparation, network: false, model: trained };
    await writeFile(join(model, 'table-model.json'), JSON.stringify(card));
    await writeFile(join(dir, 'rows.csv'), 'x\n1\n2\n');
    const { code, libraries, out } = cli('predict', '--model', join(dir, 'table-run'), join(dir, 'rows.csv'));
    expect(out).toMatch(/^x,predicted_y\n1,7\.5\n2,7\.5\n/);
    expect(code).toBe(0);
    expect(libraries).toEqual([]);
  });

  it('validate, graph, stages and init load nothing beyond what the built-in stage definitions do', async () => {
    const allowed = stageDefinitionLibraries();
    const commands = [
      ['validate', 'pipeline.json'],
      ['graph', 'pipeline.json'],
      ['stages', '--json'],
      ['init', join(dir, 'new-project')],
    ];
    for (const args of commands) {
      const { code, libraries } = cli(...args);
      expect({ args, code }).toEqual({ args, code: 0 });
      expect({ args, extra: libraries.filter((name) => !allowed.includes(name)) }).toEqual({ args, extra: [] });
    }
  });

  it('starts the tensor runtime for a run that computes, and not for a run whose every stage is cached', async () => {
    const computing = cli('run', 'pipeline.json', '--backend', 'cpu', '--quiet');
    expect(computing.code).toBe(0);
    expect(computing.urls.some((url) => TENSOR_RUNTIME.test(url))).toBe(true); // the hook sees it when it loads

    const allowed = stageDefinitionLibraries();
    const cached = cli('run', 'pipeline.json', '--backend', 'cpu');
    expect(cached.code).toBe(0);
    expect(cached.out).toMatch(/^finished in \S+: 0 stages computed, 11 from cache$/m);
    expect(cached.out).not.toMatch(/^backend:/m);
    expect(cached.urls.filter((url) => TENSOR_RUNTIME.test(url))).toEqual([]);
    // TensorFlow.js only as far as the stage definitions bring it in; the report draws its figures with vega
    expect(cached.libraries.filter((name) => name.startsWith('@tensorflow/') && !allowed.includes(name))).toEqual([]);
    const { dir: runDir, record } = await newestRun(join(ws.dir, 'runs'));
    expect(record).toMatchObject({ backend: 'none', threads: 0 });
    expect(
      JSON.parse(await readFile(join(runDir, 'models', 'train', 'model.json'), 'utf8')).modelTopology,
    ).toBeDefined();
  });
});
