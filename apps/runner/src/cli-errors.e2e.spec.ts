import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tinyConfig, tinyWorkspace } from './test-support/tiny-pipeline.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'stagegraph.js');
let ws: Awaited<ReturnType<typeof tinyWorkspace>>;
beforeAll(async () => (ws = await tinyWorkspace()));
afterAll(() => rm(ws.dir, { recursive: true, force: true }));

/** The built CLI in a child process, as a user runs it. */
const cli = (...args: string[]) => {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: ws.dir, encoding: 'utf8', timeout: 60000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
};
const writeConfig = async (name: string, edit: (config: any) => void) => {
  const config = tinyConfig('prices.csv');
  edit(config);
  await writeFile(ws.file(name), JSON.stringify(config));
  return name;
};

describe('stagegraph errors (the built CLI)', () => {
  it('validates a good config', () => {
    expect(cli('validate', 'pipeline.json')).toMatchObject({
      code: 0,
      out: 'ok: pipeline.json: pipeline "tiny-stock", 11 stages\n',
    });
  });

  it('exits 2 with a did-you-mean for a misspelt stage type', async () => {
    const file = await writeConfig('typo.json', (c) => (c.stages.scale.type = 'preprocess.minmax-scael'));
    const { code, err } = cli('run', file);
    expect(code).toBe(2);
    expect(err).toBe(
      'error: typo.json: stages.scale.type: unknown stage type "preprocess.minmax-scael" (did you mean "preprocess.minmax-scale"?)\n',
    );
  });

  it('exits 2 naming the stages of a cycle', async () => {
    const file = await writeConfig('cycle.json', (c) => (c.stages.split.inputs.series = 'scale.train'));
    const { code, err } = cli('run', file);
    expect(code).toBe(2);
    expect(err).toContain('error: cycle.json: stages: cycle between stages split -> scale -> split');
    expect(err).not.toContain('    at ');
  });

  it('exits 2 for invalid JSON with line and column, and for an unknown backend', async () => {
    await writeFile(ws.file('broken.json'), '{\n  "name": "x",\n  "stages": {\n}');
    expect(cli('validate', 'broken.json')).toMatchObject({
      code: 2,
      err: 'error: broken.json: invalid JSON at line 4, column 2: expected "," or "}", got end of input\n',
    });
    const { code, err } = cli('run', 'pipeline.json', '--backend', 'gpu');
    expect(code).toBe(2);
    expect(err).toBe(
      'error: Invalid values: Argument: backend, Given: "gpu", Choices: "tensorflow", "wasm", "cpu" (see stagegraph --help)\n',
    );
  });

  it('exits 2 for a params value that fails its schema, with the JSON path', async () => {
    const file = await writeConfig('params.json', (c) => (c.stages.train.params.epochs = -1));
    const { code, err } = cli('validate', file);
    expect(code).toBe(2);
    expect(err).toBe('error: params.json: stages.train.params.epochs: Too small: expected number to be >=1\n');
  });

  it('exits 2 before running when the output or cache folder cannot be written', async () => {
    await writeFile(ws.file('a-file'), '');
    expect(cli('run', 'pipeline.json', '--out', 'a-file')).toMatchObject({
      code: 2,
      err: 'error: --out a-file: expected a writable folder, got a file where a folder should be (EEXIST)\n',
    });
    expect(cli('run', 'pipeline.json', '--cache-dir', 'a-file/cache')).toMatchObject({
      code: 2,
      err: 'error: --cache-dir a-file/cache: expected a writable folder, got a file where a folder should be (ENOTDIR)\n',
    });
  });

  it('prints the graph as Mermaid and lists the stage types', () => {
    expect(cli('graph', 'pipeline.json', '--format', 'mermaid').out).toContain('split -- "train" --> scale');
    expect(cli('stages').out).toMatch(/^models-lstm.train \(v\d+\)\n  Trains a recurrent forecaster/m);
  });
});

describe('pipelines/pipeline.schema.json', () => {
  it('is what `stagegraph schema` generates from the registered stages (regenerate with --out)', async () => {
    const { readFile } = await import('node:fs/promises');
    const committed = await readFile(
      join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'pipelines', 'pipeline.schema.json'),
      'utf8',
    );
    expect(cli('schema').out).toBe(committed);
  });
});
