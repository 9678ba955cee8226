import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from './test-support/cli-in-process.js';
import { smallDigitTraining, writeGeneratedMnist } from './test-support/generated-digits.js';
import { useTempWorkdir } from './test-support/temp-workdir.js';
import { newestRun } from './test-support/tiny-pipeline.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const pipelineFile = join(root, 'pipelines', 'mnist-augment.json');

/** A fresh run (no cache) of mnist-augment.json, small, on generated digits: its weights and metrics. */
async function run(...extra: string[]) {
  const { code, err } = await cli(
    'run',
    pipelineFile,
    '--backend',
    'wasm',
    '--no-cache',
    '--set',
    'stages.data.params.dataDir=digits',
    ...smallDigitTraining('train', 2),
    ...extra,
  );
  expect(err).toBe('');
  expect(code).toBe(0);
  const { dir: runDir, metrics } = await newestRun();
  return { weights: await readFile(join(runDir, 'models', 'train', 'weights.bin')), metrics };
}

useTempWorkdir('sg-augment-e2e-');
beforeAll(async () => {
  await writeGeneratedMnist('digits', { train: 20, test: 5 });
});

jest.setTimeout(180_000);

describe('the mnist-augment pipeline on generated digits', () => {
  it('trains with augmentation: the same seed gives the same model, another seed and no augmentation others', async () => {
    const config = JSON.parse(await readFile(pipelineFile, 'utf8'));
    expect(config.stages.train.params.augment).toMatchObject({ translate: 0.1, rotate: 10, zoom: 0.1 });
    const first = await run();
    const again = await run();
    expect(again.weights.equals(first.weights)).toBe(true);
    expect(again.metrics.accuracy).toBe(first.metrics.accuracy);
    const otherSeed = await run('--set', 'seed=43');
    expect(otherSeed.weights.equals(first.weights)).toBe(false);
    // the same seed without augmentation: same initial weights and row order, other images
    const plain = await run('--set', 'stages.train.params.augment={"translate":0,"rotate":0,"zoom":0}');
    expect(plain.weights.equals(first.weights)).toBe(false);
  });

  it('refuses augmentation params out of range: one line naming the field, exit 2', async () => {
    const { code, err } = await cli(
      'run',
      pipelineFile,
      '--set',
      'stages.data.params.dataDir=digits',
      '--set',
      'stages.train.params.augment.zoom=1.5',
    );
    expect(code).toBe(2);
    expect(err).toMatch(/train.*augment.*zoom/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});
