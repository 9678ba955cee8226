import { describe, expect, it } from '@jest/globals';
import type { TablePredictions } from '@stagegraph/contracts';
import { tableMetricsStage } from './stages/table.stage.js';
import { tableMetrics } from './table-metrics.js';

const context = {
  stageId: 'forestEval',
  seed: 1,
  signal: new AbortController().signal,
  workDir: '.',
  progress: () => {},
  log: () => {},
};

const classification = (over: Partial<TablePredictions> = {}): TablePredictions => ({
  task: 'classification',
  label: 'animal',
  model: 'random-forest',
  classes: ['cat', 'dog', 'eel'],
  actual: [0, 0, 0, 1, 1, 2],
  predicted: [0, 1, 0, 1, 1, 0],
  ...over,
});

describe('tableMetrics: classification', () => {
  it('gives the confusion matrix in class order beside the class names, and per-class scores by name', () => {
    const m = tableMetrics(classification());
    if (m.task !== 'classification') throw new Error('expected a classification');
    expect(m.classes).toEqual(['cat', 'dog', 'eel']);
    expect(m.confusionMatrix).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [1, 0, 0],
    ]);
    expect(m.perClass.map((c) => [c.class, c.support])).toEqual([
      ['cat', 3],
      ['dog', 2],
      ['eel', 1],
    ]);
    expect(m.perClass[0].precision).toBeCloseTo(2 / 3, 12); // 2 of the 3 predicted cats
    expect(m.perClass[1].recall).toBe(1);
    expect(m.perClass[2].f1).toBe(0);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.balancedAccuracy).toBeCloseTo((2 / 3 + 1 + 0) / 3, 12);
    expect(m).toMatchObject({ label: 'animal', model: 'random-forest', n: 6 });
    expect(m).not.toHaveProperty('logLoss'); // no probabilities
  });

  it('scores a majority guess on imbalanced classes: accuracy 0.9, balanced accuracy 0.5', () => {
    const m = tableMetrics(
      classification({ classes: ['no', 'yes'], actual: [...Array(9).fill(0), 1], predicted: Array(10).fill(0) }),
    );
    expect(m).toMatchObject({ accuracy: 0.9, balancedAccuracy: 0.5 });
    // F1 of "no": 2 * 0.9 * 1 / 1.9; of "yes": 0 (scikit-learn's f1_score(average='macro') gives 0.4737)
    expect(m).toHaveProperty('macroF1', expect.closeTo(0.9 / 1.9, 12));
  });

  it('averages over the classes that occur: one in neither actual nor predicted labels leaves the means alone', () => {
    const three = tableMetrics(classification({ classes: ['a', 'b', 'c'], actual: [0, 1, 1], predicted: [0, 1, 0] }));
    const two = tableMetrics(classification({ classes: ['a', 'b'], actual: [0, 1, 1], predicted: [0, 1, 0] }));
    for (const key of ['macroF1', 'macroPrecision', 'macroRecall', 'balancedAccuracy'])
      expect(three).toHaveProperty(key, (two as unknown as Record<string, number>)[key]);
  });

  it('gives log loss, and ROC AUC of the second class for two classes', () => {
    const m = tableMetrics(
      classification({
        classes: ['no', 'yes'],
        actual: [0, 0, 1, 1],
        predicted: [0, 1, 0, 1],
        probabilities: [
          [0.9, 0.1],
          [0.6, 0.4],
          [0.65, 0.35],
          [0.2, 0.8],
        ],
      }),
    );
    expect(m).toHaveProperty('rocAuc', 0.75);
    expect(m).toHaveProperty('logLoss', expect.closeTo(-Math.log(0.9 * 0.6 * 0.35 * 0.8) / 4, 12));
  });

  it('names the row whose class code is not a class', () => {
    expect(() => tableMetrics(classification({ predicted: [0, 1, 0, 1, 3, 0] }))).toThrow(
      'predicted[4]: expected a class code from 0 to 2 (one of 3 classes), got 3',
    );
    expect(() => tableMetrics(classification({ probabilities: Array(6).fill([0.5, 0.5]) }))).toThrow(
      'probabilities[0]: expected 3 probabilities in [0, 1] (one per class), got [0.5, 0.5]',
    );
  });
});

describe('tableMetrics: regression', () => {
  const regression: TablePredictions = {
    task: 'regression',
    label: 'mpg',
    model: 'ridge',
    actual: [1, 2, 3, 4],
    predicted: [1.1, 1.9, 3.2, 3.8],
    trainSeconds: 0.5,
    sample: { rows: 100, of: 1000 },
    importance: [{ feature: 'weight', drop: 0.3 }],
  };

  it('gives RMSE, MAE and R² and passes timings, sample and importance through', () => {
    expect(tableMetrics(regression)).toEqual({
      task: 'regression',
      label: 'mpg',
      model: 'ridge',
      n: 4,
      rmse: expect.closeTo(Math.sqrt(0.1 / 4), 12),
      mae: expect.closeTo(0.15, 12),
      r2: expect.closeTo(0.98, 12),
      trainSeconds: 0.5,
      sample: { rows: 100, of: 1000 },
      importance: [{ feature: 'weight', drop: 0.3 }],
    });
  });

  it('is a data error naming the stage, the field and the row (exit 2)', async () => {
    const run = tableMetricsStage.run({ predictions: { ...regression, predicted: [1, NaN, 3, 4] } }, {}, context);
    await expect(run).rejects.toMatchObject({
      name: 'DataError',
      message: 'forestEval.inputs.predictions.predicted[1]: expected a finite number, got NaN',
    });
    await expect(
      tableMetricsStage.run({ predictions: { ...regression, actual: [], predicted: [] } }, {}, context),
    ).rejects.toThrow('forestEval.inputs.predictions.actual: expected at least one row, got none');
  });
});
