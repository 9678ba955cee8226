import { DataError, throwIfCancelled } from '@stagegraph/pipeline';
import { sliceSeries, type Backtest, type BacktestFold } from '@stagegraph/contracts';
import type { FitContext, Forecaster, FittedForecaster, SeriesSlice } from './forecaster.js';

export interface WalkForwardOptions {
  /** Index of the first forecast origin: the first fold trains on the values before it. */
  start: number;
  /** Values between one origin and the next. */
  step: number;
  /** Values forecast from each origin. */
  horizon: number;
  /** `expanding`: every fold trains on all the past; `sliding`: on the last `windowSize` values only. */
  window: 'expanding' | 'sliding';
  windowSize?: number;
  /** Refit every this many folds; the folds between reuse the fit, reading the newer values only as history. */
  refitEvery: number;
  /** Keep at most this many origins: the latest ones. */
  maxOrigins?: number;
}

/** One origin's forecasts: a fold of the BACKTEST contract. */
export type Fold = BacktestFold;

/** The models and folds of a backtest: what the BACKTEST contract adds to the series. */
export type WalkForwardResult = Pick<Backtest, 'models' | 'folds'>;

/** The forecast origins the options give on a series of `length` values, oldest first. */
export function forecastOrigins(length: number, options: WalkForwardOptions): number[] {
  const origins: number[] = [];
  for (let origin = options.start; origin + options.horizon <= length; origin += options.step) origins.push(origin);
  return options.maxOrigins === undefined ? origins : origins.slice(-options.maxOrigins);
}

/**
 * Walk-forward (rolling-origin) evaluation: at each origin every forecaster is fitted on the past
 * only (refit every `refitEvery` folds) and forecasts the next `horizon` values. A forecaster sees
 * slices of the series that end at its fold's training end (fit) or origin (forecast): nothing later.
 */
export async function walkForward(
  series: SeriesSlice,
  forecasters: readonly Forecaster[],
  options: WalkForwardOptions,
  context: FitContext & { onFold?: (done: number, total: number) => void },
): Promise<WalkForwardResult> {
  const origins = forecastOrigins(series.values.length, options);
  if (origins.length === 0)
    throw new DataError(
      `expected at least one forecast origin: start ${options.start} + horizon ${options.horizon} is past the ${series.values.length} values`,
    );
  const names = forecasters.map((f) => f.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new DataError(`expected one forecaster per name, got "${twice}" twice`);
  const fitted = new Map<string, FittedForecaster>();
  const folds: Fold[] = [];
  let trainStart = 0;
  let trainEnd = 0;
  try {
    for (const [index, origin] of origins.entries()) {
      if (context.signal) throwIfCancelled(context.signal, `backtest fold ${index + 1} of ${origins.length}`);
      if (index % options.refitEvery === 0) {
        trainEnd = origin;
        trainStart = options.window === 'sliding' ? Math.max(0, origin - (options.windowSize ?? origin)) : 0;
        const train = sliceSeries(series, trainStart, trainEnd);
        for (const forecaster of forecasters) {
          fitted.get(forecaster.name)?.dispose?.();
          fitted.set(forecaster.name, await forecaster.fit(train, { ...context, seed: context.seed + index }));
        }
      }
      const history = sliceSeries(
        series,
        options.window === 'sliding' ? Math.max(0, origin - (options.windowSize ?? origin)) : 0,
        origin,
      );
      const predictions: Record<string, number[]> = {};
      for (const forecaster of forecasters)
        predictions[forecaster.name] = fitted.get(forecaster.name)!.forecast(history, options.horizon);
      folds.push({
        origin,
        trainStart,
        trainEnd,
        actual: series.values.slice(origin, origin + options.horizon),
        predictions,
      });
      context.onFold?.(index + 1, origins.length);
    }
  } finally {
    for (const model of fitted.values()) model.dispose?.();
  }
  return { models: forecasters.map(({ name, kind }) => ({ name, kind })), folds };
}
