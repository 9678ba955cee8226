import { describe, expect, it } from '@jest/globals';
import { mae, mape, persistenceForecast, regressionReport, rmse } from './regression.js';

describe('regression metrics', () => {
  // actual 10, 12, 8; predicted 11, 12, 5: errors 1, 0, -3
  const actual = [10, 12, 8];
  const predicted = [11, 12, 5];

  it('match hand-computed values', () => {
    expect(rmse(actual, predicted)).toBeCloseTo(Math.sqrt(10 / 3), 12);
    expect(mae(actual, predicted)).toBeCloseTo(4 / 3, 12);
    expect(mape(actual, predicted)).toBeCloseTo((100 * (0.1 + 0 + 0.375)) / 3, 12);
  });

  it('skip zero actual values in MAPE', () => {
    expect(mape([0, 10], [5, 9])).toBeCloseTo(10, 12);
  });

  it('build the persistence forecast from the previous value', () => {
    expect(persistenceForecast(actual, 9)).toEqual([9, 10, 12]);
  });

  it('report the model against persistence', () => {
    // persistence errors: 1, 2, -4 -> rmse sqrt(21/3)
    const report = regressionReport(actual, predicted, [9]);
    expect(report.persistenceRmse).toBeCloseTo(Math.sqrt(7), 12);
    expect(report.persistenceMae).toBeCloseTo(7 / 3, 12);
    expect(report.rmseRatio).toBeCloseTo(Math.sqrt(10 / 3) / Math.sqrt(7), 12);
    expect(regressionReport(actual, predicted).persistenceRmse).toBeUndefined();
  });

  it('with a longer history, scale by it and test against persistence', () => {
    // history 7, 9: in-sample naive MAE 2, so MASE = (4/3) / 2
    const report = regressionReport(actual, predicted, [7, 9]);
    expect(report.mase).toBeCloseTo(2 / 3, 12);
    // prior 9, 10, 12: model ((1/9)^2 + 0 + (3/12)^2), naive ((1/9)^2 + (2/10)^2 + (4/12)^2)
    expect(report.theilU2).toBeCloseTo(Math.sqrt((1 / 81 + 1 / 16) / (1 / 81 + 1 / 25 + 1 / 9)), 12);
    // from 9, 10, 12: predicted up, up, down; actual up, up, down
    expect(report.directionalAccuracy).toBeCloseTo(1, 12);
    // d = 1-1, 0-4, 9-16 = 0, -4, -7: mean -11/3; the model is better, not significantly on 3 points
    expect(report.dmStatistic).toBeLessThan(0);
    expect(report.dmPValue).toBeGreaterThan(0.05);
    expect(report.smape).toBeCloseTo((100 * (2 / 21 + 0 + 6 / 13)) / 3, 12);
  });

  it('refuse mismatched lengths', () => {
    expect(() => rmse([1, 2], [1])).toThrow('expected as many predictions as actual values, got 1 for 2');
  });
});
