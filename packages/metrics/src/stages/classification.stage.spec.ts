import { describe, expect, it } from '@jest/globals';
import type { ClassificationMetrics, ClassNames, ClassPredictions, TensorLike } from '@stagegraph/contracts';
import { classificationMetricsStage } from './classification.stage.js';

const context = {
  stageId: 'evaluate',
  seed: 1,
  signal: new AbortController().signal,
  workDir: '.',
  progress: () => {},
  log: () => {},
};

/** A [rows, columns] float tensor stand-in: the stage reads shape and data only. */
const matrix = (rows: number[][]): TensorLike => {
  const values = Float32Array.from(rows.flat());
  return {
    shape: [rows.length, rows[0].length],
    rank: 2,
    dtype: 'float32',
    data: async () => values,
    dataSync: () => values,
  };
};

// true: cat, cat, dog, eel; predicted: cat, dog, dog, cat
const labels = matrix([
  [1, 0, 0],
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
]);
const probabilities = matrix([
  [0.8, 0.1, 0.1],
  [0.3, 0.6, 0.1],
  [0.1, 0.7, 0.2],
  [0.5, 0.2, 0.3],
]);

/** The stage run on the probabilities and labels above (a stage may also answer an Observable; this one does not). */
const evaluate = (classes?: ClassNames) =>
  classificationMetricsStage.run({ probabilities, labels, classes }, {}, context) as Promise<{
    metrics: ClassificationMetrics;
    predictions: ClassPredictions;
  }>;

describe('metrics.classification with class names', () => {
  it('names each per-class row and the confusion matrix, and hands the names on with the predictions', async () => {
    const classes = { names: ['cat', 'dog', 'eel'] };
    const { metrics, predictions } = await evaluate(classes);
    expect(metrics.classes).toEqual(['cat', 'dog', 'eel']);
    expect(metrics.perClass.map((row) => [row.class, row.label, row.support])).toEqual([
      ['cat', 0, 2],
      ['dog', 1, 1],
      ['eel', 2, 1],
    ]);
    expect(Object.keys(metrics.perClass[0])[0]).toBe('class'); // the report's per-class table starts with the name
    expect(metrics.confusionMatrix).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(predictions).toEqual({ actual: [0, 0, 1, 2], predicted: [0, 1, 1, 0], classes: ['cat', 'dog', 'eel'] });
  });

  it('keeps its output as it was without names (label codes only)', async () => {
    const { metrics, predictions } = await evaluate();
    expect(metrics.classes).toBeUndefined();
    expect(metrics.perClass[0]).toEqual({ label: 0, precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(predictions).toEqual({ actual: [0, 0, 1, 2], predicted: [0, 1, 1, 0] });
  });

  it('refuses names that are not one per label column, naming the input (exit 2)', async () => {
    await expect(evaluate({ names: ['cat', 'dog'] })).rejects.toMatchObject({
      name: 'DataError',
      message: 'evaluate.inputs.classes: expected 3 class names (one per label column), got 2',
    });
  });
});
