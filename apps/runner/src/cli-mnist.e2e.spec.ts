import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  describeNativeKernels,
  nativeKernelsStatus,
  SeededRandom,
  selectBackend,
  tensorCount,
} from '@stagegraph/core-tensor';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { main } from './main.js';
import { drawDigit, smallDigitTraining, writeGeneratedMnist } from './test-support/generated-digits.js';
import { captureOutput, newestRun } from './test-support/tiny-pipeline.js';

const pipelineFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'pipelines', 'mnist-cnn.json');
const cwd = process.cwd();
let dir: string;
/** The first run, made before any test so each test stands alone (jest --randomize). */
let first: {
  code: number;
  err: string;
  tensorsBefore: number;
  tensorsAfter: number;
  run: Awaited<ReturnType<typeof newestRun>>;
};

const run = async (...extra: string[]) => {
  const output = captureOutput();
  const code = await main(
    [
      'run',
      pipelineFile,
      '--backend',
      'wasm',
      '--set',
      'stages.data.params.dataDir=digits',
      ...smallDigitTraining('train', 6),
      ...extra,
    ],
    output,
  );
  return { code, out: output.stdout(), err: output.stderr() };
};
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'sg-mnist-e2e-'));
  process.chdir(dir);
  await writeGeneratedMnist('digits', { train: 60, test: 20 });
  const tensorsBefore = tensorCount();
  const { code, err } = await run();
  first = { code, err, tensorsBefore, tensorsAfter: tensorCount(), run: await newestRun() };
});
afterAll(async () => {
  process.chdir(cwd);
  await rm(dir, { recursive: true, force: true });
});

jest.setTimeout(180_000);

describe('the mnist-cnn pipeline on generated digits', () => {
  it('trains, evaluates and writes metrics, figures and the model, leaking no tensors', async () => {
    const { code, err, tensorsBefore, tensorsAfter } = first;
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(tensorsAfter).toBe(tensorsBefore);
    const { dir: runDir, metrics, record } = first.run;
    expect(metrics.accuracy).toBeGreaterThan(0.6); // 10 classes: chance is 0.1
    expect(metrics.macroF1).toBeGreaterThan(0.5);
    expect(metrics.perClass).toHaveLength(10);
    expect(metrics.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']); // wired from data.classes
    expect(metrics.perClass[3]).toMatchObject({ class: '3', label: 3 });
    expect(metrics.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(200);
    for (const figure of ['samples', 'curves', 'confusion', 'misclassified']) {
      expect(existsSync(join(runDir, 'figures', `${figure}.svg`))).toBe(true);
      expect(existsSync(join(runDir, 'figures', `${figure}.png`))).toBe(true);
    }
    expect(record.models).toEqual(['models/train']);
    // CNN stages prefer threads: wasm ran on every core (STAGEGRAPH_THREADS unset), or, with the native
    // kernels computing the convolutions on every core, on one (and run.json names them)
    const native = nativeKernelsStatus().active;
    expect(record).toMatchObject({ backend: 'wasm', threads: native ? 1 : availableParallelism() });
    expect(record.nativeKernels).toBe(native ? describeNativeKernels() : undefined);
    if (native)
      expect(record.nativeKernels).toMatch(
        /^oneDNN \((platform package @stagegraph\/core-tensor-linux-x64|source build)\)$/,
      );
    // and which of them this run called: its convolutions on oneDNN's primitive
    if (native) expect(record.nativeKernelCalls.dnnlConv2d).toBeGreaterThan(0);
    else expect(record.nativeKernelCalls).toBeUndefined();
    const report = await readFile(join(runDir, 'report.html'), 'utf8');
    if (native) expect(report).toMatch(/native kernels oneDNN \([^)]+\): \w+ [\d,]+, .*dnnlConv2d [\d,]+/);
    // drawn in the confusion figure, so not also a table (the issue of a matrix shown twice)
    expect(report).not.toContain('<table class="matrix">');
    expect(report).toContain(
      '<p>confusionMatrix: drawn in <a href="#figure-confusion">Confusion matrix (test set)</a> below',
    );
    expect(report).toContain('<h3>perClass</h3>');
    for (const figure of ['samples', 'curves', 'confusion', 'misclassified'])
      expect(report.split(`<figure id="figure-${figure}" `)).toHaveLength(2);
    const modelJson = JSON.parse(await readFile(join(runDir, 'models', 'train', 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
  });

  it('re-runs only the figure stage whose params changed', async () => {
    const { code } = await run('--set', 'stages.curves.params.title=Curves');
    expect(code).toBe(0);
    const { record } = await newestRun();
    expect(record.stages.filter((s: { cached: boolean }) => !s.cached).map((s: { id: string }) => s.id)).toEqual([
      'curves',
    ]);
    expect(record.nativeKernelCalls).toBeUndefined(); // a figure from the cached history: this run called none
  });

  it('predicts drawn digits in image files, reporting a broken file on its own line with exit 2', async () => {
    const { dir: runDir, metrics } = first.run;
    await mkdir('drawn');
    const random = new SeededRandom(99);
    for (let i = 0; i < 30; i++) {
      const digit = i % 10;
      const size = 40 + random.nextInt(80); // black on white, larger than 28 px, off-centre on a wider page
      const ink = await drawDigit(digit, random, size, false);
      const page = await sharp({ create: { width: size + 40, height: size + 10, channels: 3, background: '#ffffff' } })
        .composite([
          {
            input: await sharp(ink, { raw: { width: size, height: size, channels: 1 } })
              .png()
              .toBuffer(),
            left: random.nextInt(40),
            top: random.nextInt(10),
          },
        ])
        .png()
        .toBuffer();
      await writeFile(join('drawn', `${String(i).padStart(2, '0')}-label${digit}.png`), page);
    }
    await writeFile(join('drawn', 'zz-broken.png'), 'not an image');
    const output = captureOutput();
    const code = await main(['predict', '--model', runDir, '--json', '--backend', 'wasm', 'drawn'], output);
    expect(code).toBe(2);
    const result = JSON.parse(output.stdout());
    expect(result.predictions).toHaveLength(30);
    expect(result.errors).toEqual([
      {
        file: join('drawn', 'zz-broken.png'),
        error: 'drawn/zz-broken.png: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something else',
      },
    ]);
    expect(output.stderr()).toMatch(
      /^error: drawn\/zz-broken\.png: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image/,
    );
    for (const p of result.predictions)
      expect(Object.values(p.probabilities as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const correct = result.predictions.filter((p: { file: string; class: string }) =>
      p.file.endsWith(`label${p.class}.png`),
    ).length;
    expect(correct / 30).toBeGreaterThan(metrics.accuracy - 0.35); // same kind of digits, drawn larger and off-centre
    const table = captureOutput();
    await main(
      [
        'predict',
        '--model',
        join(runDir, 'models', 'train', 'model.json'),
        '--backend',
        'wasm',
        join('drawn', '00-label0.png'),
      ],
      table,
    );
    expect(table.stdout()).toMatch(/^file +class +top 3 \(class probability\)\n\S+00-label0\.png +\d +\d 0\.\d\d, /);
  });
});
