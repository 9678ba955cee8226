function checkPair(actual: ArrayLike<number>, predicted: ArrayLike<number>): void {
  if (actual.length !== predicted.length) throw new Error(`expected as many predictions as actual values, got ${predicted.length} for ${actual.length}`);
  if (actual.length === 0) throw new Error('expected at least one value, got none');
}

/** Root mean squared error. */
export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkPair(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (actual[i] - predicted[i]) ** 2;
  return Math.sqrt(sum / actual.length);
}

/** Mean absolute error. */
export function mae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkPair(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i] - predicted[i]);
  return sum / actual.length;
}

/** Mean absolute percentage error, in percent, over the points whose actual value is not zero. */
export function mape(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkPair(actual, predicted);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] === 0) continue;
    sum += Math.abs((actual[i] - predicted[i]) / actual[i]);
    count++;
  }
  return count === 0 ? NaN : (100 * sum) / count;
}

/**
 * The naive forecast "tomorrow = today": each point predicted by the one before it; the first by
 * `previous` (the last value before the period).
 */
export function persistenceForecast(actual: ArrayLike<number>, previous: number): number[] {
  return Array.from(actual, (_, i) => (i === 0 ? previous : actual[i - 1]));
}

export interface RegressionReport {
  n: number;
  rmse: number;
  mae: number;
  mape: number;
  persistenceRmse?: number;
  persistenceMae?: number;
  persistenceMape?: number;
  /** rmse / persistenceRmse: below 1 means the model beats the naive forecast. */
  rmseRatio?: number;
}

/** RMSE, MAE and MAPE of a forecast, and the same for the persistence forecast when `previous` is known. */
export function regressionReport(actual: ArrayLike<number>, predicted: ArrayLike<number>, previous?: number): RegressionReport {
  const report: RegressionReport = { n: actual.length, rmse: rmse(actual, predicted), mae: mae(actual, predicted), mape: mape(actual, predicted) };
  if (previous === undefined) return report;
  const naive = persistenceForecast(actual, previous);
  report.persistenceRmse = rmse(actual, naive);
  report.persistenceMae = mae(actual, naive);
  report.persistenceMape = mape(actual, naive);
  report.rmseRatio = report.rmse / report.persistenceRmse;
  return report;
}
