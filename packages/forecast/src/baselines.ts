import { DataError } from '@stagegraph/pipeline';
import { Matrix, solve } from 'ml-matrix';
import type { Forecaster } from './forecaster.js';

// The reference forecasts of Hyndman & Athanasopoulos, "Forecasting: Principles and Practice",
// ch. 5.2, and a ridge autoregression: cheap, and what a learned model has to beat to be worth it.

const baseline = (
  name: string,
  forecast: (history: readonly number[], horizon: number) => number[],
  minHistory = 1,
): Forecaster => ({
  name,
  kind: 'baseline',
  async fit(train) {
    if (train.values.length < minHistory)
      throw new DataError(`${name}: expected at least ${minHistory} training values, got ${train.values.length}`);
    return { forecast: (history, horizon) => forecast(history.values, horizon) };
  },
});

/** Tomorrow = today: every step ahead is the last value. Optimal for a random walk. */
export function persistence(name = 'persistence'): Forecaster {
  return baseline(name, (history, horizon) => Array(horizon).fill(history.at(-1)));
}

/** The last value plus the average change over the history, per step ahead (a line from first to last value). */
export function drift(name = 'drift'): Forecaster {
  return baseline(
    name,
    (history, horizon) => {
      const slope = (history.at(-1)! - history[0]) / (history.length - 1);
      return Array.from({ length: horizon }, (_, h) => history.at(-1)! + slope * (h + 1));
    },
    2,
  );
}

/** The value one season ago: h steps ahead is the value `period` steps before it (repeating the last season). */
export function seasonalNaive(period: number, name = `seasonal-naive-${period}`): Forecaster {
  return baseline(
    name,
    (history, horizon) => Array.from({ length: horizon }, (_, h) => history[history.length - period + (h % period)]),
    period,
  );
}

/** The mean of the last `window` values, for every step ahead. */
export function movingAverage(window: number, name = `moving-average-${window}`): Forecaster {
  return baseline(
    name,
    (history, horizon) => {
      const last = history.slice(-window);
      return Array(horizon).fill(last.reduce((a, b) => a + b, 0) / last.length);
    },
    window,
  );
}

export interface RidgeArOptions {
  /** Past values each prediction reads. */
  lags: number;
  /** Ridge penalty on the standardised coefficients (0 = least squares). */
  lambda: number;
  /** Model the changes (ARIMA(p,1,0)-like) instead of the levels: the right default for trending series. */
  differenced: boolean;
}

/**
 * A linear autoregression on the last `lags` values, fitted by ridge regression on the standardised
 * series (its training mean and deviation only); steps beyond the first feed predictions back.
 */
export function ridgeAutoregression(options: RidgeArOptions, name = `ridge-ar-${options.lags}`): Forecaster {
  const { lags, lambda, differenced } = options;
  const changes = (values: readonly number[]) =>
    differenced ? values.slice(1).map((v, i) => v - values[i]) : [...values];
  return {
    name,
    kind: 'baseline',
    async fit(train) {
      const series = changes(train.values);
      if (series.length <= lags + 1)
        throw new DataError(
          `${name}: expected more than ${lags + 1 + (differenced ? 1 : 0)} training values, got ${train.values.length}`,
        );
      const mean = series.reduce((a, b) => a + b, 0) / series.length;
      const std = Math.sqrt(series.reduce((a, v) => a + (v - mean) ** 2, 0) / series.length) || 1;
      const z = series.map((v) => (v - mean) / std);
      const rows = z.length - lags;
      const design = new Matrix(rows, lags);
      const target = new Matrix(rows, 1);
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < lags; k++) design.set(r, k, z[r + lags - 1 - k]);
        target.set(r, 0, z[r + lags]);
      }
      const gram = design.transpose().mmul(design).div(rows);
      for (let k = 0; k < lags; k++) gram.set(k, k, gram.get(k, k) + lambda);
      // SVD: a least-squares answer even when the lags are collinear (a constant series, lambda 0)
      const coefficients = solve(gram, design.transpose().mmul(target).div(rows), true).getColumn(0);
      return {
        forecast({ values: history }, horizon) {
          const recent = changes(history.slice(-(lags + 1))).map((v) => (v - mean) / std);
          if (recent.length < lags)
            throw new DataError(
              `${name}: expected at least ${lags + (differenced ? 1 : 0)} values of history, got ${history.length}`,
            );
          const out: number[] = [];
          let level = history.at(-1)!;
          for (let h = 0; h < horizon; h++) {
            const next = coefficients.reduce((sum, c, k) => sum + c * recent[recent.length - 1 - k], 0);
            recent.push(next);
            const value = next * std + mean;
            level = differenced ? level + value : value;
            out.push(level);
          }
          return out;
        },
      };
    },
  };
}
