// Scale-free and relative forecast accuracy, as in Hyndman & Koehler (2006) and Theil (1966):
// each compares a forecast with the naive one, which is what says whether a model is worth having.

import { checkPair } from './check-pair.js';

/**
 * The value before each point: for one contiguous period, `previous` (the last value before it) then
 * the actual series shifted by one; for points from several forecast origins, an array of them.
 */
function before(actual: ArrayLike<number>, previous: number | ArrayLike<number>): ArrayLike<number> {
  if (typeof previous === 'number') return Array.from(actual, (_, i) => (i === 0 ? previous : actual[i - 1]));
  if (previous.length !== actual.length)
    throw new Error(`expected one previous value per actual value, got ${previous.length} for ${actual.length}`);
  return previous;
}

/** Symmetric MAPE in percent (0-200): mean of 2|F - A| / (|A| + |F|), points where both are 0 count as 0. */
export function smape(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkPair(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.abs(actual[i]) + Math.abs(predicted[i]);
    if (scale > 0) sum += (2 * Math.abs(predicted[i] - actual[i])) / scale;
  }
  return (100 * sum) / actual.length;
}

/**
 * Mean absolute scaled error: the forecast's MAE over the in-sample MAE of the (seasonal) naive
 * forecast on the training values, y[t] predicted by y[t - period]. Below 1 beats naive in-sample.
 */
export function mase(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  training: ArrayLike<number>,
  period = 1,
): number {
  checkPair(actual, predicted);
  if (training.length <= period)
    throw new Error(`expected more than ${period} training values to scale by, got ${training.length}`);
  let naive = 0;
  for (let t = period; t < training.length; t++) naive += Math.abs(training[t] - training[t - period]);
  naive /= training.length - period;
  let error = 0;
  for (let i = 0; i < actual.length; i++) error += Math.abs(actual[i] - predicted[i]);
  return error / actual.length / naive;
}

/**
 * Theil's U2: the root of the summed squared relative errors of the forecast over those of
 * "no change", each relative to the value before. 1 = as good as persistence, below 1 = better.
 */
export function theilU2(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  previous: number | ArrayLike<number>,
): number {
  checkPair(actual, predicted);
  const prior = before(actual, previous);
  let model = 0;
  let naive = 0;
  for (let i = 0; i < actual.length; i++) {
    model += ((predicted[i] - actual[i]) / prior[i]) ** 2;
    naive += ((actual[i] - prior[i]) / prior[i]) ** 2;
  }
  return Math.sqrt(model / naive);
}

/** Share (0-1) of points where the forecast moves the same way from the value before as the actual value did; a flat actual step counts only a flat forecast. */
export function directionalAccuracy(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  previous: number | ArrayLike<number>,
): number {
  checkPair(actual, predicted);
  const prior = before(actual, previous);
  let hits = 0;
  for (let i = 0; i < actual.length; i++)
    if (Math.sign(predicted[i] - prior[i]) === Math.sign(actual[i] - prior[i])) hits++;
  return hits / actual.length;
}
