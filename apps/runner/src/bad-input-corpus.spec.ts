import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend } from '@stagegraph/core-tensor';
import { encodeIdx } from '@stagegraph/preprocess';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from './main.js';
import { captureOutput, tinyConfig } from './test-support/tiny-pipeline.js';

/**
 * Bad inputs a user meets, made here, each run through the CLI in-process: every one must end in
 * exit 2 with one-line errors naming the file or field, no stack trace, and no run folder written.
 */
let dir: string;
const cwd = process.cwd();
const good = 'Date,Close\n' + Array.from({ length: 60 }, (_, i) => `2021-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${100 + i}`).join('\n') + '\n';

const csvCases: [string, string | Buffer, RegExp][] = [
  ['empty.csv', '', /empty\.csv: expected a header line and data rows, got an empty file/],
  ['header-only.csv', 'Date,Close\n', /header-only\.csv: expected data rows after the header, got none/],
  ['no-column.csv', good.replace('Close', 'Price'), /no-column\.csv: expected a column "Close", got columns "Date", "Price"/],
  ['all-text.csv', 'Date,Close\n2021-01-01,abc\n2021-01-02,n/a\n', /all-text\.csv: column "Close": expected numbers, got none in 2 rows/],
  ['bad-date.csv', 'Date,Close\nyesterday,1\n', /bad-date\.csv: line 2, column "Date": expected a date, got "yesterday"/],
  ['duplicate-dates.csv', 'Date,Close\n2021-01-01,1\n2021-01-01,2\n', /duplicate-dates\.csv: column "Date": expected one row per date, got 2021-01-01 twice/],
  ['unclosed-quote.csv', 'Date,Close\n"2021-01-01,1\n', /unclosed-quote\.csv: line 2: expected a closing quote, got end of file/],
  ['too-short.csv', 'Date,Close\n2021-01-01,1\n2021-01-02,2\n2021-01-03,3\n2021-01-04,4\n2021-01-05,5\n2021-01-06,6\n', /train: expected more than seqLength=5 values to make windows, got 4/],
];

const configCases: [string, unknown, RegExp][] = [
  ['wrong-type.json', { ...tinyConfig('good.csv'), seed: 'seven' }, /wrong-type\.json: seed: expected number, got string/],
  ['unknown-key.json', { ...tinyConfig('good.csv'), stagse: {} }, /unknown key "stagse" \(did you mean "stages"\?\)/],
  ['missing-param.json', (() => { const c = tinyConfig('good.csv') as any; delete c.stages.load.params.path; return c; })(), /stages\.load\.params\.path: expected string, got undefined/],
  ['negative-epochs.json', (() => { const c = tinyConfig('good.csv') as any; c.stages.train.params.epochs = -1; return c; })(), /stages\.train\.params\.epochs: Too small: expected number to be >=1/],
  ['absurd-seq.json', (() => { const c = tinyConfig('good.csv') as any; c.stages.windows.params.seqLength = 1e9; return c; })(), /stages\.windows\.params\.seqLength: Too big: expected number to be <=10000/],
  ['missing-stage.json', (() => { const c = tinyConfig('good.csv') as any; c.stages.split.inputs.series = 'lod.series'; return c; })(), /stages\.split\.inputs\.series: no stage "lod" \(did you mean "load"\?\)/],
  ['missing-port.json', (() => { const c = tinyConfig('good.csv') as any; c.stages.split.inputs.series = 'load.serie'; return c; })(), /has no output "serie" \(did you mean "series"\?\)/],
  ['bad-ref.json', (() => { const c = tinyConfig('good.csv') as any; c.stages.split.inputs.series = 'load'; return c; })(), /stages\.split\.inputs\.series: expected "<stageId>\.<port>", got "load"/],
  ['cycle.json', (() => { const c = tinyConfig('good.csv') as any; c.stages.load.inputs = {}; c.stages.split.inputs.series = 'scale.train'; return c; })(), /cycle between stages/],
  ['bad-stage-id.json', { name: 'x', stages: { 'my stage': { type: 'preprocess.load-csv' } } }, /stages\.my stage: a stage id starts with a letter and holds letters, digits, "_" or "-", got "my stage"/],
  ['no-stages.json', { name: 'x', stages: {} }, /stages: expected at least one stage, got none/],
];

beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'sg-corpus-'));
  process.chdir(dir);
  await mkdir('runs');
  await writeFile('good.csv', good);
  for (const [name, text] of csvCases) await writeFile(name, text);
  for (const [name, config] of configCases) await writeFile(name, JSON.stringify(config));
  await writeFile('invalid.json', '{"name": "x",\n "stages": {,}}');
  await mkdir('idx');
});
afterAll(async () => {
  process.chdir(cwd);
  await rm(dir, { recursive: true, force: true });
});

async function expectRefused(args: string[], message: RegExp) {
  const output = captureOutput();
  const code = await main([...args, '--backend', 'cpu'], output);
  const err = output.stderr();
  expect({ code, err }).toMatchObject({ code: 2, err: expect.stringMatching(message) });
  expect(err).not.toMatch(/\n\s+at /); // no stack trace
  for (const line of err.trim().split('\n')) expect(line).toMatch(/^error: /);
  expect((await readdir('runs')).filter((name) => !name.startsWith('.'))).toEqual([]);
}

describe('bad input corpus: each refused with exit 2 and one line, nothing written', () => {
  it.each(csvCases.map(([name, , message]) => [name, message] as const))('CSV %s', async (name, message) => {
    await writeFile('pipeline.json', JSON.stringify(tinyConfig(name)));
    await expectRefused(['run', 'pipeline.json', '--set', 'stages.load.params.invalid=drop'], message);
  });

  it('CSV with a bad cell under invalid=fail', async () => {
    await writeFile('cell.csv', good.replace(',105\n', ',1o5\n'));
    await writeFile('pipeline.json', JSON.stringify(tinyConfig('cell.csv')));
    await expectRefused(['run', 'pipeline.json', '--set', 'stages.load.params.invalid=fail'], /cell\.csv: line 7, column "Close": expected a number, got "1o5"/);
  });

  it('a missing CSV file', async () => {
    await writeFile('pipeline.json', JSON.stringify(tinyConfig('nowhere.csv')));
    await expectRefused(['run', 'pipeline.json'], /nowhere\.csv: expected a readable CSV file, got no such file/);
  });

  it.each(configCases.map(([name, , message]) => [name, message] as const))('config %s', async (name, message) => {
    await expectRefused(['run', name], message);
  });

  it('config with invalid JSON, a missing config file, an unknown backend and an unknown --set stage', async () => {
    await expectRefused(['run', 'invalid.json'], /invalid\.json: invalid JSON at line 2, column 13: expected a string, got ","/);
    await expectRefused(['run', 'none.json'], /none\.json: no such file/);
    const output = captureOutput();
    expect(await main(['run', 'pipeline.json', '--backend', 'tpu'], output)).toBe(2);
    await writeFile('pipeline.json', JSON.stringify(tinyConfig('good.csv')));
    await expectRefused(['run', 'pipeline.json', '--set', 'stages.trian.params.epochs=1'], /--set stages\.trian\.params\.epochs=1: no stage "trian" \(did you mean "train"\?\)/);
  });

  it('MNIST files: wrong magic, truncated, count mismatch, wrong image size', async () => {
    const write = async (images: Uint8Array, labels: Uint8Array) => {
      for (const prefix of ['train', 't10k']) {
        await writeFile(join('idx', `${prefix}-images-idx3-ubyte.gz`), gzipSync(images));
        await writeFile(join('idx', `${prefix}-labels-idx1-ubyte.gz`), gzipSync(labels));
      }
    };
    const config = { name: 'mnist', stages: { data: { type: 'preprocess.mnist', params: { dataDir: 'idx' } } } };
    await writeFile('mnist.json', JSON.stringify(config));
    const images = encodeIdx([2, 28, 28], new Uint8Array(2 * 784));
    const labels = encodeIdx([2], Uint8Array.from([3, 4]));
    await write(labels, labels);
    await expectRefused(['run', 'mnist.json'], /train-images-idx3-ubyte\.gz: expected IDX magic number 0x00000803 \(images\), got 0x00000801/);
    await write(images.subarray(0, 500), labels);
    await expectRefused(['run', 'mnist.json'], /truncated: the header promises 1568 bytes of data \(2x28x28\), got 484/);
    await write(images, encodeIdx([3], Uint8Array.from([1, 2, 3])));
    await expectRefused(['run', 'mnist.json'], /expected 2 labels \(one per image in .*\), got 3/);
    await write(encodeIdx([2, 20, 20], new Uint8Array(800)), labels);
    await expectRefused(['run', 'mnist.json'], /expected 28x28 images, got 20x20/);
    await rm(join('idx', 't10k-labels-idx1-ubyte.gz'));
    await expectRefused(['run', 'mnist.json'], /idx: expected the MNIST files, missing t10k-labels-idx1-ubyte\.gz/);
  });
});
