import type { RegressionMetrics } from '@stagegraph/contracts';
import { checkPair } from './check-pair.js';
import { dieboldMariano } from './diebold-mariano.js';
import { directionalAccuracy, mase, smape, theilU2 } from './forecast-accuracy.js';

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

/** Scores of a forecast: the REGRESSION_METRICS contract's type. */
export type RegressionReport = RegressionMetrics;

/**
 * Accuracy of a forecast; with the `history` before the forecast period (its last value seeds the
 * persistence forecast), the same for persistence and how the two compare: ratio, MASE, Theil's
 * U2, directional accuracy and the Diebold-Mariano test.
 */
export function regressionReport(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  history?: ArrayLike<number>,
): RegressionReport {
  const report: RegressionReport = {
    n: actual.length,
    rmse: rmse(actual, predicted),
    mae: mae(actual, predicted),
    mape: mape(actual, predicted),
    smape: smape(actual, predicted),
  };
  if (history === undefined || history.length === 0) return report;
  const previous = history[history.length - 1];
  const naive = persistenceForecast(actual, previous);
  report.persistenceRmse = rmse(actual, naive);
  report.persistenceMae = mae(actual, naive);
  report.persistenceMape = mape(actual, naive);
  report.rmseRatio = report.rmse / report.persistenceRmse;
  if (history.length > 1) report.mase = mase(actual, predicted, history);
  report.theilU2 = theilU2(actual, predicted, previous);
  report.directionalAccuracy = directionalAccuracy(actual, predicted, previous);
  if (actual.length >= 3) {
    const test = dieboldMariano(actual, predicted, naive);
    report.dmStatistic = test.statistic;
    report.dmPValue = test.pValue;
  }
  return report;
}
