import { beforeAll, describe, expect, it } from '@jest/globals';
import { MODEL_COMPARISON, type ModelComparison } from '@stagegraph/contracts';
import { selectBackend } from '@stagegraph/core-tensor';
import { DataError, type StageContext } from '@stagegraph/pipeline';
import { adaptModels } from './adapt-models.js';
import { drift, persistence } from './baselines.js';
import { compareModels } from './compare-models.js';
import type { Forecaster } from './forecaster.js';
import { modelSpecSchema } from './model-specs.js';
import { backtestStage } from './stages/backtest.stage.js';
import { walkForward, type WalkForwardOptions } from './walk-forward.js';

/** A daily series that crosses zero (a temperature, say), with two feature columns. */
const values = Array.from({ length: 60 }, (_, i) => Math.round(10 * Math.sin(i / 4)) + 2);
const crossing = {
  name: 'temp_min',
  values,
  dates: values.map((_, i) => new Date(Date.UTC(2012, 0, 1 + i)).toISOString().slice(0, 10)),
  features: { wind: values.map((_, i) => 3 + (i % 5)), temp_max: values.map((v) => v + 8) },
};
const lstm = (fields: Record<string, unknown>) =>
  modelSpecSchema.parse({
    type: 'lstm',
    units: 2,
    seqLength: 5,
    epochs: 1,
    patience: 0,
    validationSplit: 0,
    batchSize: 32,
    ...fields,
  });

/** Fits on the first `fits` folds, then throws what `failure` gives. */
function failing(failure: () => unknown, fits = 1): Forecaster {
  let fitted = 0;
  return {
    name: 'fragile',
    kind: 'learned',
    async fit() {
      if (fitted++ >= fits) throw failure();
      return { forecast: (history, horizon) => Array(horizon).fill(history.values.at(-1)! + 1) };
    },
  };
}
const nan: Forecaster = {
  name: 'nan',
  kind: 'learned',
  fit: async () => ({ forecast: (_history, horizon) => Array(horizon).fill(NaN) }),
};
const options: WalkForwardOptions = { start: 40, step: 5, horizon: 1, window: 'expanding', refitEvery: 1 };

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('a model that cannot run does not sink the backtest', () => {
  it('drops a model whose fit throws a DataError in a later fold, from every fold, and scores the others', async () => {
    const fragile = failing(() => new DataError('fragile: expected more than 50 training values, got 45'));
    const result = await walkForward(crossing, [persistence(), drift(), fragile], options, { seed: 1 });
    expect(result.models.map((m) => m.name)).toEqual(['persistence', 'drift']);
    expect(result.folds.every((fold) => !('fragile' in fold.predictions))).toBe(true);
    expect(result.notRun).toEqual([
      {
        name: 'fragile',
        kind: 'learned',
        reason: 'expected more than 50 training values, got 45 (fold 2 of 4, origin 2012-02-15)',
      },
    ]);
    const comparison = compareModels(result, crossing.values);
    expect(Object.keys(comparison.models)).toEqual(['persistence', 'drift']);
    expect(comparison.notRun).toEqual(result.notRun);
    expect(comparison.verdict).toMatch(
      / Not run on this series: fragile, expected more than 50 training values, got 45 \(fold 2 of 4, origin 2012-02-15\)\.$/,
    );
    expect(MODEL_COMPARISON.schema!.safeParse(comparison).success).toBe(true);
  });

  it('drops a model that forecasts a value that is not finite', async () => {
    const result = await walkForward(crossing, [persistence(), nan], options, { seed: 1 });
    expect(result.notRun).toEqual([
      { name: 'nan', kind: 'learned', reason: 'expected finite forecasts, got NaN (fold 1 of 4, origin 2012-02-10)' },
    ]);
    expect(compareModels(result, crossing.values).notRun).toHaveLength(1);
  });

  it('still stops on anything but a data problem (a bug is not a model that "did not run")', async () => {
    const buggy = failing(() => new TypeError('x is undefined'), 0);
    await expect(walkForward(crossing, [persistence(), buggy], options, { seed: 1 })).rejects.toThrow('x is undefined');
  });

  it('writes no notRun when every model ran', async () => {
    const comparison = compareModels(
      await walkForward(crossing, [persistence(), drift()], options, { seed: 1 }),
      values,
    );
    expect(comparison).not.toHaveProperty('notRun');
    expect(comparison.verdict).not.toMatch(/Not run/);
  });
});

describe('models adapt to the series', () => {
  it('reads the features the series carries: "all", or those of a list it has, saying which in one line', () => {
    const { specs, notes } = adaptModels(
      [
        { type: 'drift' },
        lstm({ name: 'every', features: 'all', target: 'difference' }),
        lstm({ name: 'listed', features: ['high', 'wind', 'volume'], target: 'difference' }),
        lstm({ name: 'none', target: 'difference' }),
      ],
      crossing,
    );
    expect(specs.map((s) => (s.type === 'lstm' ? s.features : 'baseline'))).toEqual([
      'baseline',
      ['wind', 'temp_max'],
      ['wind'],
      undefined,
    ]);
    expect(notes).toEqual([
      'every: reads features wind, temp_max (all the series carries)',
      "listed: reads features wind; the series carries no high, volume (load-csv's features param)",
    ]);
    expect(adaptModels([lstm({ name: 'x', features: 'all' })], { ...crossing, features: undefined }).notes[0]).toMatch(
      /^x: reads no features \(the series carries none/,
    );
  });

  it('falls back from a ratio target to difference on a series with a value <= 0, keeping the name, and says so', () => {
    const { specs, notes } = adaptModels(
      [lstm({ target: 'log-return' }), lstm({ target: 'percent-change' })],
      crossing,
    );
    expect(specs.map((s) => s.type === 'lstm' && [s.name, s.target])).toEqual([
      ['lstm-log-return', 'difference'],
      ['lstm-percent-change', 'difference'],
    ]);
    expect(notes[0]).toBe(
      `lstm-log-return: a log-return target needs positive values, the series has -2 on 2012-01-15; uses difference instead`,
    );
    const positive = { ...crossing, values: values.map((v) => v + 100) };
    expect(adaptModels([lstm({ target: 'log-return' })], positive)).toMatchObject({
      specs: [{ target: 'log-return' }],
      notes: [],
    });
  });

  it('forecast.backtest on a series crossing zero: the fallback runs, a model too big for the series is not run, the rest scored', async () => {
    const lines: string[] = [];
    const params = backtestStage.params.parse({
      start: '2012-02-10',
      step: 10,
      refitEvery: 5,
      models: [
        { type: 'drift' },
        lstm({ name: 'returns-features', target: 'log-return', features: ['high', 'low', 'volume'] }),
        lstm({ name: 'long-windows', target: 'difference', seqLength: 45 }),
      ],
    });
    const context = {
      stageId: 'backtest',
      seed: 1,
      signal: new AbortController().signal,
      workDir: process.cwd(),
      progress: () => undefined,
      log: (line: string) => lines.push(line),
    } as unknown as StageContext;
    const { comparison } = (await backtestStage.run({ series: crossing }, params, context)) as {
      comparison: ModelComparison;
    };
    expect(Object.keys(comparison.models)).toEqual(['persistence', 'drift', 'returns-features']);
    expect(comparison.notRun).toEqual([
      {
        name: 'long-windows',
        kind: 'learned',
        reason: expect.stringMatching(
          /^expected more than 47 training values .*got 40 \(fold 1 of 2, origin 2012-02-10\)$/,
        ),
      },
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        "returns-features: reads no features; the series carries no high, low, volume (load-csv's features param)",
        expect.stringMatching(
          /^returns-features: a log-return target needs positive values, .*; uses difference instead$/,
        ),
        expect.stringMatching(/^long-windows: not run, expected more than 47 training values/),
        expect.stringMatching(/Not run on this series: long-windows, expected more than 47 training values/),
      ]),
    );
  });
});
