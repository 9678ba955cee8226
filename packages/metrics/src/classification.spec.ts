import { describe, expect, it } from '@jest/globals';
import { classificationReport, confusionMatrix } from './classification.js';

describe('classification metrics', () => {
  // 3 classes, 8 samples; by hand:
  //   true 0: predicted 0,0,1      true 1: predicted 1,1,2      true 2: predicted 2,0
  const actual = [0, 0, 0, 1, 1, 1, 2, 2];
  const predicted = [0, 0, 1, 1, 1, 2, 2, 0];

  it('counts the confusion matrix [true][predicted]', () => {
    expect(confusionMatrix(actual, predicted, 3)).toEqual([
      [2, 1, 0],
      [0, 2, 1],
      [1, 0, 1],
    ]);
  });

  it('computes accuracy, per-class P/R/F1 and their averages as by hand', () => {
    const report = classificationReport(actual, predicted, 3);
    expect(report.accuracy).toBeCloseTo(5 / 8, 12);
    // class 0: P 2/3, R 2/3; class 1: P 2/3, R 2/3; class 2: P 1/2, R 1/2
    expect(report.perClass.map((c) => [c.precision, c.recall, c.support])).toEqual([
      [2 / 3, 2 / 3, 3],
      [2 / 3, 2 / 3, 3],
      [1 / 2, 1 / 2, 2],
    ]);
    expect(report.perClass[0].f1).toBeCloseTo(2 / 3, 12);
    expect(report.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 1 / 2) / 3, 12);
    expect(report.weightedF1).toBeCloseTo((3 * (2 / 3) + 3 * (2 / 3) + 2 * 0.5) / 8, 12);
  });

  it('gives 0, not NaN, for a class never predicted', () => {
    const report = classificationReport([0, 1], [0, 0], 2);
    expect(report.perClass[1]).toEqual({ label: 1, precision: 0, recall: 0, f1: 0, support: 1 });
  });
});
