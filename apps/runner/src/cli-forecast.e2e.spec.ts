import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { selectBackend, tensorCount } from '@stagegraph/core-tensor';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { captureOutput, newestRun } from './test-support/tiny-pipeline.js';

// A forecasting run end to end: a weekly-seasonal series the test makes, a backtest of baselines and
// a small LSTM, the comparison in metrics.json and the report, the backtest and residual figures.

let dir: string;
let first: { code: number; out: string; err: string; tensorsBefore: number; tensorsAfter: number };
const cwd = process.cwd();

const config = {
  name: 'tiny-forecast',
  seed: 5,
  stages: {
    load: {
      type: 'preprocess.load-csv',
      params: { path: 'weekly.csv', column: 'value', dateColumn: 'date', features: ['volume'] },
    },
    backtest: {
      type: 'forecast.backtest',
      params: {
        start: 0.75,
        step: 4,
        horizon: 2,
        refitEvery: 5,
        models: [
          { type: 'seasonal-naive', period: 7 },
          { type: 'drift' },
          { type: 'ridge-ar', lags: 7, lambda: 0.1, differenced: false },
          {
            type: 'lstm',
            name: 'lstm-small',
            target: 'difference',
            scaler: 'standard',
            features: ['volume'],
            calendar: true,
            seqLength: 7,
            units: 4,
            epochs: 2,
            patience: 0,
            validationSplit: 0,
          },
        ],
      },
      inputs: { series: 'load.series' },
    },
    backtestPlot: { type: 'viz.backtest-plot', params: { scale: 1 }, inputs: { backtest: 'backtest.backtest' } },
    residualPlot: { type: 'viz.residual-plot', params: { scale: 1 }, inputs: { backtest: 'backtest.backtest' } },
  },
};

const run = async (file = 'pipeline.json', ...extra: string[]) => {
  const output = captureOutput();
  const code = await main(['run', file, '--backend', 'cpu', ...extra], output);
  return { code, out: output.stdout(), err: output.stderr() };
};

beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'sg-forecast-'));
  process.chdir(dir);
  const lines = ['date,value,volume'];
  let seed = 3;
  for (let i = 0; i < 240; i++) {
    seed = (seed * 16807) % 2147483647;
    const date = new Date(Date.UTC(2021, 0, 1 + i)).toISOString().slice(0, 10);
    lines.push(
      `${date},${(50 + 8 * Math.sin((2 * Math.PI * i) / 7) + (seed / 2147483647 - 0.5)).toFixed(3)},${1000 + (seed % 500)}`,
    );
  }
  await writeFile('weekly.csv', lines.join('\n') + '\n');
  await writeFile('pipeline.json', JSON.stringify(config));
  const tensorsBefore = tensorCount();
  first = { ...(await run()), tensorsBefore, tensorsAfter: tensorCount() };
});
afterAll(async () => {
  process.chdir(cwd);
  await rm(dir, { recursive: true, force: true });
});

describe('stagegraph run with a forecast.backtest', () => {
  it('compares every model with persistence over every origin in metrics.json, and leaks no tensors', async () => {
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.tensorsAfter).toBe(first.tensorsBefore);
    const { metrics } = await newestRun();
    // persistence joins as the reference; 240 values, origins from 180 every 4 while 2 fit: 15
    expect(Object.keys(metrics.models).sort()).toEqual([
      'drift',
      'lstm-small',
      'persistence',
      'ridge-ar-7',
      'seasonal-naive-7',
    ]);
    expect(metrics).toMatchObject({ origins: 15, horizon: 2, points: 30 });
    expect(metrics.models.persistence).toMatchObject({ kind: 'baseline', rmseRatio: 1, dmPValue: 1 });
    expect(metrics.models['lstm-small'].kind).toBe('learned');
    for (const scores of Object.values(metrics.models) as Record<string, number>[]) {
      for (const field of ['rmse', 'mae', 'mase', 'theilU2', 'rmseRatio', 'dmPValue', 'foldRmseMean', 'foldRmseStd'])
        expect(Number.isFinite(scores[field])).toBe(true);
    }
    // the best is the lowest RMSE, and on a weekly pattern a seasonal model beats persistence significantly
    const lowest = Object.entries(metrics.models as Record<string, { rmse: number }>).sort(
      ([, a], [, b]) => a.rmse - b.rmse,
    )[0][0];
    expect(metrics.best).toBe(lowest);
    expect(['seasonal-naive-7', 'ridge-ar-7']).toContain(metrics.best);
    expect(metrics.models[metrics.best].dmPValue).toBeLessThan(0.05);
    expect(metrics.verdict).toBe(
      `${metrics.best} had the lowest RMSE (${((1 - metrics.models[metrics.best].rmseRatio) * 100).toFixed(1)}% lower RMSE than persistence); the Diebold-Mariano test finds the difference significant at 5% (p = ${metrics.models[metrics.best].dmPValue.toPrecision(2)}).`,
    );
  });

  it('puts the verdict, the model table and both figures in the report', async () => {
    const { dir: runDir, metrics } = await newestRun();
    const report = await readFile(join(runDir, 'report.html'), 'utf8');
    expect(report).toContain(`<p class="verdict"><strong>${metrics.verdict}</strong></p>`);
    expect(report).toMatch(/<h3>models<\/h3><table><tr><th><\/th><th>kind<\/th><th>rmse<\/th>/);
    expect(report).toContain('<tr><th>lstm-small</th><td>learned</td>');
    for (const figure of ['backtestPlot', 'residualPlot'])
      expect((await stat(join(runDir, 'figures', `${figure}.png`))).size).toBeGreaterThan(1000);
  });

  it('refuses two models of one name, naming the param, exit 2', async () => {
    const twice = {
      ...config.stages.backtest,
      params: { ...config.stages.backtest.params, models: [{ type: 'drift' }, { type: 'drift' }] },
    };
    await writeFile('twice.json', JSON.stringify({ ...config, stages: { ...config.stages, backtest: twice } }));
    const { code, err } = await run('twice.json');
    expect(code).toBe(2);
    expect(err).toContain(
      'backtest.params.models: expected distinct model names (give one a "name"), got "drift" twice',
    );
  });

  it('refuses a start outside the series with one line naming the param, exit 2', async () => {
    await writeFile(
      'early.json',
      JSON.stringify({
        ...config,
        stages: {
          ...config.stages,
          backtest: { ...config.stages.backtest, params: { ...config.stages.backtest.params, start: '1990-01-01' } },
        },
      }),
    );
    const { code, err } = await run('early.json');
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(
      'backtest.params.start: expected an origin with at least 2 values before it and 1 after, got "1990-01-01" (the series runs 2021-01-01 to 2021-08-28, 240 values)',
    );
  });
});
