import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend, tensorCount } from '@stagegraph/core-tensor';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.js';
import { smallDigitTraining, writeGeneratedMnist } from './test-support/generated-digits.js';
import { captureOutput, newestRun } from './test-support/tiny-pipeline.js';

const pipelineFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'pipelines', 'mnist-select.json');
const cwd = process.cwd();
let dir: string;

describe('pipelines/mnist-select.json on generated digits', () => {
  let result: { code: number; err: string; tensorsBefore: number; tensorsAfter: number };
  beforeAll(async () => {
    await selectBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'sg-select-'));
    process.chdir(dir);
    await writeGeneratedMnist('digits', { train: 30, test: 2 });
    const output = captureOutput();
    const tensorsBefore = tensorCount();
    const code = await main(
      [
        'run',
        pipelineFile,
        '--backend',
        'wasm',
        '--set',
        'stages.data.params.dataDir=digits',
        ...smallDigitTraining('cnn', 4),
        '--set',
        'stages.logreg.params.steps=50',
        '--set',
        'stages.forest.params.trees=20',
      ],
      output,
    );
    result = { code, err: output.stderr(), tensorsBefore, tensorsAfter: tensorCount() };
  }, 180_000);
  afterAll(async () => {
    process.chdir(cwd);
    await rm(dir, { recursive: true, force: true });
  });

  it('ranks the CNN and four classical models on the held-out split, with accuracy, macro F1 and timings', async () => {
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.tensorsAfter).toBe(result.tensorsBefore);
    const { metrics, dir: runDir } = await newestRun();
    expect(Object.keys(metrics.models).sort()).toEqual(['cnn', 'knn', 'logisticRegression', 'randomForest', 'svm']);
    for (const model of Object.values(metrics.models) as Record<string, number>[]) {
      expect(model.n).toBe(30); // 10% of 300 generated training digits
      for (const name of ['accuracy', 'macroF1', 'trainSeconds', 'predictSeconds'])
        expect(model[name]).toBeGreaterThanOrEqual(0);
    }
    const accuracy = (name: string) => metrics.models[name].accuracy;
    expect(metrics.ranking).toHaveLength(5);
    expect(metrics.best).toBe(metrics.ranking[0]);
    for (let i = 1; i < 5; i++)
      expect(accuracy(metrics.ranking[i - 1])).toBeGreaterThanOrEqual(accuracy(metrics.ranking[i]));
    // the generated digits are easy: the best model is well above chance (0.1)
    expect(accuracy(metrics.best)).toBeGreaterThan(0.5);
    const report = await readFile(join(runDir, 'report.html'), 'utf8');
    // the models table lists every candidate, best first and numbered
    expect(report).toMatch(/<th>\d\. logisticRegression<\/th>/);
    expect(report).toMatch(/<th>\d\. randomForest<\/th>/);
    expect(report).toContain(`<th>1. ${metrics.best}</th>`);
    // the forest, too, learns the generated digits (20 trees on 270 images)
    expect(metrics.models.randomForest.accuracy).toBeGreaterThan(0.5);
  });
});
