import jStat from 'jstat';
import { checkPair } from './check-pair.js';

export interface DieboldMarianoResult {
  /** Points compared. */
  n: number;
  /** Mean loss difference (squared error of A minus that of B): negative when A is better. */
  meanLossDifference: number;
  /** The DM statistic with the Harvey-Leybourne-Newbold correction, Student t with n - 1 degrees of freedom. */
  statistic: number;
  /** Two-sided p-value: the chance of a difference this large if both forecasts were equally accurate. */
  pValue: number;
}

/**
 * The Diebold-Mariano test (1995) of equal accuracy of forecasts A and B under squared-error loss,
 * with the Harvey, Leybourne and Newbold (1997) small-sample correction. The loss differences of
 * h-step forecasts are autocorrelated up to lag h - 1, so their long-run variance sums those
 * autocovariances; the corrected statistic is compared with Student's t on n - 1 degrees of freedom.
 */
export function dieboldMariano(
  actual: ArrayLike<number>,
  forecastA: ArrayLike<number>,
  forecastB: ArrayLike<number>,
  horizon = 1,
): DieboldMarianoResult {
  checkPair(actual, forecastA);
  checkPair(actual, forecastB);
  const n = actual.length;
  if (n < 3) throw new Error(`expected at least 3 points for a Diebold-Mariano test, got ${n}`);
  if (!Number.isInteger(horizon) || horizon < 1 || horizon >= n)
    throw new Error(`expected a horizon from 1 to ${n - 1}, got ${horizon}`);
  const d = Array.from(actual, (y, t) => (y - forecastA[t]) ** 2 - (y - forecastB[t]) ** 2);
  const mean = d.reduce((a, b) => a + b, 0) / n;
  const autocovariance = (lag: number) => {
    let sum = 0;
    for (let t = lag; t < n; t++) sum += (d[t] - mean) * (d[t - lag] - mean);
    return sum / n;
  };
  let longRunVariance = autocovariance(0);
  for (let lag = 1; lag < horizon; lag++) longRunVariance += 2 * autocovariance(lag);
  // the unweighted sum can go negative for h > 1; the lag-0 variance is the usual fallback
  if (!(longRunVariance > 0)) longRunVariance = autocovariance(0);
  if (!(longRunVariance > 0)) {
    // the same loss difference at every point: none (no evidence either way) or a certain one
    return mean === 0
      ? { n, meanLossDifference: 0, statistic: 0, pValue: 1 }
      : { n, meanLossDifference: mean, statistic: Math.sign(mean) * Infinity, pValue: 0 };
  }
  const dm = mean / Math.sqrt(longRunVariance / n);
  const statistic = dm * Math.sqrt((n + 1 - 2 * horizon + (horizon * (horizon - 1)) / n) / n);
  const pValue = 2 * (1 - jStat.studentt.cdf(Math.abs(statistic), n - 1));
  return { n, meanLossDifference: mean, statistic, pValue };
}
