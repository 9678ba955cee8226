import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend } from '@stagegraph/core-tensor';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli } from '../test-support/cli-in-process.js';
import { colourImage } from '../test-support/colour-images.js';
import { editRunRecord, writeSyntheticRuns } from '../test-support/synthetic-runs.js';
import { latestModelRun } from './latest-model-run.js';

let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
let red: string;

beforeAll(async () => {
  await selectBackend('cpu');
  // a colour run (12:29) newer than the forecast and backtest runs, the digit run left out
  synthetic = await writeSyntheticRuns({ forecastRuns: 1, backtestRuns: 1, digitRun: false, colourRun: true });
  red = join(synthetic.dir, 'red.png');
  await writeFile(red, await colourImage('#e02020', 20, 20, 'png'));
  // the newest run of all is a forecaster with a model predict cannot use (an LSTM): passed over
  await editRunRecord(synthetic.runsDir, synthetic.forecastRuns[0], (record) => {
    record.startedAt = '2026-01-01T15:00:00.000Z';
    record.models = ['models/train'];
  });
  await mkdir(join(synthetic.runsDir, synthetic.forecastRuns[0], 'models', 'train'), { recursive: true });
  await writeFile(join(synthetic.runsDir, synthetic.forecastRuns[0], 'models', 'train', 'model.json'), '{}');
});
afterAll(async () => {
  if (synthetic) await rm(synthetic.dir, { recursive: true, force: true });
});

describe('stagegraph predict --model latest', () => {
  it('predicts with the newest run that has an image model, passing over newer runs without one, and says which', async () => {
    const { code, out, err } = await cli(
      'predict',
      '--model',
      'latest',
      '--runs',
      synthetic.runsDir,
      '--backend',
      'cpu',
      red,
    );
    expect(err).toBe(
      `note: --model latest: ${join(synthetic.runsDir, synthetic.colourRun!)}, the newest run with an image or table model\n`,
    );
    expect(code).toBe(0);
    expect(out.split('\n')[1]).toMatch(/red\.png +red +red 0\.\d\d/);
  });

  it("takes a run's name, or the start of it, from the runs folder, as the runs commands do", async () => {
    const run = synthetic.colourRun!;
    for (const ref of [run, run.slice(0, -4)]) {
      const { code, out } = await cli('predict', '--model', ref, '--runs', synthetic.runsDir, '--backend', 'cpu', red);
      expect(code).toBe(0);
      expect(out.split('\n')[1]).toMatch(/red\.png +red +red 0\.\d\d/);
    }
    const none = await cli('predict', '--model', 'no-such-run', '--runs', synthetic.runsDir, red);
    expect([none.code, none.err]).toEqual([
      2,
      'error: --model no-such-run: expected a model folder, model.json or run folder, got no such path\n',
    ]);
  });

  it('takes a newer table run (models/<stage>/table-model.json) over the image run', async () => {
    const table = 'table-2026-01-01T14-00-00-000';
    await cp(join(synthetic.runsDir, synthetic.colourRun!), join(synthetic.runsDir, table), { recursive: true });
    try {
      await rm(join(synthetic.runsDir, table, 'models', 'train'), { recursive: true });
      await mkdir(join(synthetic.runsDir, table, 'models', 'forest'), { recursive: true });
      await writeFile(join(synthetic.runsDir, table, 'models', 'forest', 'table-model.json'), '{}');
      await editRunRecord(synthetic.runsDir, table, (record) => {
        record.startedAt = '2026-01-01T14:00:00.000Z';
        record.stages = [
          { id: 'forest', type: 'models-table.forest', key: 'k'.repeat(64), cached: false, durationMs: 1 },
        ];
        record.models = ['models/forest'];
      });
      expect(await latestModelRun(synthetic.runsDir)).toBe(join(synthetic.runsDir, table));
    } finally {
      await rm(join(synthetic.runsDir, table), { recursive: true, force: true });
    }
  });

  it('exits 2 in one line when the runs folder is missing or holds no run with a model', async () => {
    const missing = await cli('predict', '--model', 'latest', '--runs', join(synthetic.dir, 'nowhere'), red);
    expect([missing.code, missing.out]).toEqual([2, '']);
    expect(missing.err).toBe(
      `error: --model latest: expected a folder of runs at --runs ${join(synthetic.dir, 'nowhere')}, got no such folder\n`,
    );
    const only = join(synthetic.dir, 'forecasts-only');
    await mkdir(only);
    await cp(join(synthetic.runsDir, synthetic.forecastRuns[0]), join(only, synthetic.forecastRuns[0]), {
      recursive: true,
    });
    const none = await cli('predict', '--model', 'latest', '--runs', only, red);
    expect(none.code).toBe(2);
    expect(none.err).toBe(
      `error: --model latest: expected a run with an image or table model in ${only}, got 1 run without one (train one: npx stagegraph run pipelines/mnist-cnn.json, or pipelines/table.json)\n`,
    );
  });
});
