import { checkPair } from './check-pair.js';

/**
 * The coefficient of determination: 1 - (residual sum of squares) / (sum of squares around the
 * mean of `actual`); 1 is a perfect fit, 0 is no better than that mean, below 0 worse. When every
 * actual value is the same, 1 for a perfect fit and 0 otherwise (as scikit-learn's r2_score).
 */
export function r2(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkPair(actual, predicted);
  let mean = 0;
  for (let i = 0; i < actual.length; i++) mean += actual[i];
  mean /= actual.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    residual += (actual[i] - predicted[i]) ** 2;
    total += (actual[i] - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}
