import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSyntheticRuns } from '../test-support/synthetic-runs.js';
import { readRun } from './run-index.js';

let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
beforeAll(async () => {
  synthetic = await writeSyntheticRuns({ forecastRuns: 1, digitRun: false });
});
afterAll(() => rm(synthetic.dir, { recursive: true, force: true }));

/** The headline `runs ls` shows for a run whose metrics.json is `metrics`. */
async function headlineOf(metrics: Record<string, unknown>) {
  const [id] = synthetic.forecastRuns;
  await writeFile(join(synthetic.runsDir, id, 'metrics.json'), JSON.stringify(metrics));
  return (await readRun(synthetic.runsDir, id))?.headline;
}

describe('the headline metric of a run', () => {
  it('is a bare headline metric when one stage emits it', async () => {
    expect(await headlineOf({ n: 32, rmse: 1.5, mae: 1.2 })).toEqual({ name: 'rmse', value: 1.5 });
  });

  it("is the first stage's <stage>.<name> in graph order when several stages emit it (mnist-select's four accuracies)", async () => {
    const metrics = { 'cnnEval.n': 100, 'cnnEval.accuracy': 0.97, 'svmEval.n': 100, 'svmEval.accuracy': 0.96, best: 'cnn' };
    expect(await headlineOf(metrics)).toEqual({ name: 'cnnEval.accuracy', value: 0.97 });
  });

  it("is the selection's best on its ranking metric when the run ranked candidates (not the baseline's, first in the graph)", async () => {
    const metrics = {
      'baselineEval.rmse': 7.4,
      'forestEval.rmse': 2.6,
      models: { baseline: { rmse: 7.4 }, forest: { rmse: 2.6 } },
      ranking: ['forest', 'baseline'],
      best: 'forest',
      metric: 'rmse',
    };
    expect(await headlineOf(metrics)).toEqual({ name: 'models.forest.rmse', value: 2.6 });
  });

  const backtest = {
    models: {
      persistence: { kind: 'baseline', rmse: 2.8, rmseRatio: 1 },
      'origin-recipe': { kind: 'learned', rmse: 3.1, rmseRatio: 1.1 },
      drift: { kind: 'baseline', rmse: 2.7, rmseRatio: 0.96 },
    },
    best: 'drift',
    origins: 103,
    horizon: 1,
    points: 103,
    verdict: 'drift wins',
  };

  it("is a backtest's best model by RMSE, not its count of origins", async () => {
    expect(await headlineOf(backtest)).toEqual({ name: 'models.drift.rmse', value: 2.7 });
  });

  it("is the config's `headline` when the run has it, by any metric path", async () => {
    const [id] = synthetic.forecastRuns;
    const file = join(synthetic.runsDir, id, 'run.json');
    const record = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...record, config: { ...record.config, headline: 'models.origin-recipe.rmseRatio' } }));
    try {
      expect(await headlineOf(backtest)).toEqual({ name: 'models.origin-recipe.rmseRatio', value: 1.1 });
      await writeFile(file, JSON.stringify({ ...record, config: { ...record.config, headline: 'best.rmseRatio' } }));
      expect(await headlineOf(backtest)).toEqual({ name: 'best.rmseRatio', value: 0.96 });
    } finally {
      await writeFile(file, JSON.stringify(record));
    }
  });

  it('falls back to the first numeric metric', async () => {
    expect(await headlineOf({ best: 'x', nextDayForecast: 101 })).toEqual({ name: 'nextDayForecast', value: 101 });
  });
});
