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
    const report = regressionReport(actual, predicted, 9);
    expect(report.persistenceRmse).toBeCloseTo(Math.sqrt(7), 12);
    expect(report.persistenceMae).toBeCloseTo(7 / 3, 12);
    expect(report.rmseRatio).toBeCloseTo(Math.sqrt(10 / 3) / Math.sqrt(7), 12);
    expect(regressionReport(actual, predicted).persistenceRmse).toBeUndefined();
  });

  it('refuse mismatched lengths', () => {
    expect(() => rmse([1, 2], [1])).toThrow('expected as many predictions as actual values, got 1 for 2');
  });
});
