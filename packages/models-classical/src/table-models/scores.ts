/** The scores the table stage logs and permutation importance measures drops of. */

/** The share of rows whose predicted class code is the actual one. */
export function accuracy(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let right = 0;
  for (let r = 0; r < actual.length; r++) if (predicted[r] === actual[r]) right++;
  return actual.length ? right / actual.length : NaN;
}

/** 1 - residual / total sum of squares (total around the actual values' own mean). */
export function rSquared(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let mean = 0;
  for (let r = 0; r < actual.length; r++) mean += actual[r];
  mean /= actual.length;
  let residual = 0;
  let total = 0;
  for (let r = 0; r < actual.length; r++) {
    residual += (predicted[r] - actual[r]) ** 2;
    total += (actual[r] - mean) ** 2;
  }
  return total > 0 ? 1 - residual / total : NaN;
}

/** Accuracy for a classification, R^2 for a regression: larger is better. */
export const scoreOf = (classification: boolean) => (classification ? accuracy : rSquared);
export const scoreName = (classification: boolean) => (classification ? 'accuracy' : 'R^2');
