import { describe, expect, it } from '@jest/globals';
import type { ModelSelection, TableMetrics } from '@stagegraph/contracts';
import { selectTableModelStage } from './stages/select-table.stage.js';
import { selectTableModel } from './table-selection.js';

const context = {
  stageId: 'select',
  seed: 1,
  signal: new AbortController().signal,
  workDir: '.',
  progress: () => {},
  log: () => {},
};

const regression = (model: string, rmse: number, extra: Record<string, unknown> = {}): TableMetrics =>
  ({
    task: 'regression',
    label: 'mpg',
    model,
    n: 80,
    rmse,
    mae: rmse * 0.8,
    r2: 1 - (rmse / 8) ** 2,
    ...extra,
  }) as TableMetrics;

const classification = (model: string, accuracy: number, balancedAccuracy: number): TableMetrics => ({
  task: 'classification',
  label: 'origin',
  model,
  n: 40,
  accuracy,
  balancedAccuracy,
  macroPrecision: 0.5,
  macroRecall: balancedAccuracy,
  macroF1: 0.5,
  weightedF1: 0.5,
  classes: ['Europe', 'Japan', 'USA'],
  perClass: [],
  confusionMatrix: [],
});

describe('selectTableModel', () => {
  it('ranks regressions by RMSE, lowest first, with each RMSE over the mean baseline’s', () => {
    const selection = selectTableModel({
      forest: regression('random-forest', 2, { sample: { rows: 50, of: 300 }, trainSeconds: 3 }),
      baseline: regression('mean baseline', 8),
      ridge: regression('ridge', 4),
    });
    expect(selection.ranking).toEqual(['forest', 'ridge', 'baseline']);
    expect(selection).toMatchObject({ best: 'forest', metric: 'rmse', goal: 'min', baseline: 'baseline' });
    expect(selection.models.forest).toEqual({
      rmse: 2,
      mae: 1.6,
      r2: 0.9375,
      trainSeconds: 3,
      rmseRatio: 0.25,
      sampleRows: 50,
    });
    expect(selection.models.baseline.rmseRatio).toBe(1);
    expect(selection.verdict).toBe(
      'forest had the lowest rmse: rmse 2 against 8 for the baseline (baseline); 75.0% lower RMSE than the baseline.',
    );
  });

  it('finds the baseline by its model when no candidate is named "baseline", and says when it won', () => {
    const selection = selectTableModel({ dense: regression('dense', 9), mean: regression('mean baseline', 8) });
    expect(selection).toMatchObject({ best: 'mean', baseline: 'mean' });
    expect(selection.models.dense.rmseRatio).toBeCloseTo(9 / 8, 12);
    expect(selection.verdict).toBe('The baseline (mean) ranked first by rmse: no model beat it.');
  });

  it('ranks classifications by accuracy by default, by any metric on request, lower first for a loss', () => {
    const candidates = {
      majority: classification('majority baseline', 0.6, 0.33),
      forest: classification('random-forest', 0.85, 0.8),
      knn: classification('knn', 0.9, 0.7),
    };
    expect(selectTableModel(candidates).ranking).toEqual(['knn', 'forest', 'majority']);
    const balanced = selectTableModel(candidates, 'balancedAccuracy');
    expect(balanced.ranking).toEqual(['forest', 'knn', 'majority']);
    expect(balanced.verdict).toBe(
      'forest had the highest balancedAccuracy: balancedAccuracy 0.8 against 0.33 for the baseline (majority).',
    );
    expect(balanced.models.knn).not.toHaveProperty('rmseRatio');
    expect(selectTableModel(candidates, 'macroRecall').goal).toBe('max');
  });

  it('refuses candidates without a baseline, scored on other rows, or lacking the metric', () => {
    expect(() => selectTableModel({ a: regression('ridge', 1), b: regression('dense', 2) })).toThrow(
      'inputs: expected a baseline among the candidates (one named "baseline", or whose model is a mean or majority baseline), got none: a (ridge), b (dense)',
    );
    expect(() =>
      selectTableModel({ baseline: regression('mean baseline', 8), b: regression('dense', 2, { n: 79 }) }),
    ).toThrow(
      'inputs.b: expected a regression of "mpg" on 80 rows as candidate baseline, got a regression of "mpg" on 79 rows',
    );
    expect(() =>
      selectTableModel({ baseline: regression('mean baseline', 8), b: regression('dense', 2) }, 'logLoss'),
    ).toThrow('params.metric: candidate baseline: expected a number for "logLoss", got none');
  });
});

describe('metrics.select-table', () => {
  it('logs the verdict and words a bad candidate as a data error naming the stage', async () => {
    const logged: string[] = [];
    const candidates = { baseline: regression('mean baseline', 8), ridge: regression('ridge', 4) };
    const params = selectTableModelStage.params.parse({});
    // run's type allows an Observable; this stage returns a promise of its outputs
    const { metrics } = await (selectTableModelStage.run(candidates, params, {
      ...context,
      log: (line) => logged.push(line),
    }) as Promise<{ metrics: ModelSelection }>);
    expect(metrics.best).toBe('ridge');
    expect(logged).toEqual([metrics.verdict]);
    await expect(
      selectTableModelStage.run({ a: regression('ridge', 1), b: regression('dense', 2) }, params, context),
    ).rejects.toMatchObject({
      name: 'DataError',
      message: expect.stringMatching(/^select\.inputs: expected a baseline/),
    });
  });
});
