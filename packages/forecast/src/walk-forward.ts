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

/** A model a backtest could not run on the series (too few values, a feature it lacks...), and why. */
export interface NotRunModel {
  name: string;
  kind: Forecaster['kind'];
  reason: string;
}

/** The models and folds of a backtest (what the BACKTEST contract adds to the series), and the models that did not run. */
export type WalkForwardResult = Pick<Backtest, 'models' | 'folds'> & { notRun: NotRunModel[] };

/** The forecast origins the options give on a series of `length` values, oldest first. */
export function forecastOrigins(length: number, options: WalkForwardOptions): number[] {
  const origins: number[] = [];
  for (let origin = options.start; origin + options.horizon <= length; origin += options.step) origins.push(origin);
  return options.maxOrigins === undefined ? origins : origins.slice(-options.maxOrigins);
}

/**
 * The largest step up to `step` that gives at least `minOrigins` origins (1 where even that gives
 * fewer): a step of 10 values suits ten years of daily data, while ten years of monthly data would
 * get 3 origins, too few to tell models apart.
 */
export function stepForOrigins(
  length: number,
  options: { start: number; horizon: number; step: number },
  minOrigins: number,
): number {
  const span = length - options.horizon - options.start; // the last origin is at most start + span
  if (span < 0 || minOrigins <= 1) return options.step;
  return Math.max(1, Math.min(options.step, Math.floor(span / (minOrigins - 1))));
}

/** The models of a backtest still running, those fitted, and those dropped with why. */
class Models {
  readonly active: Forecaster[];
  readonly fitted = new Map<string, FittedForecaster>();
  readonly notRun: NotRunModel[] = [];

  constructor(forecasters: readonly Forecaster[]) {
    this.active = [...forecasters];
  }

  /**
   * A model that throws a DataError (its data cannot be fitted or forecast) or forecasts a value
   * that is not finite is dropped from the whole backtest, its earlier forecasts too, so every model
   * scored is scored on the same points. Anything else (a bug, a cancellation) stops the backtest.
   */
  drop(forecaster: Forecaster, problem: unknown, where: string, folds: Fold[]): void {
    if (!(problem instanceof DataError)) throw problem;
    const reason = problem.message.startsWith(`${forecaster.name}: `)
      ? problem.message.slice(forecaster.name.length + 2)
      : problem.message;
    this.notRun.push({ name: forecaster.name, kind: forecaster.kind, reason: `${reason} (${where})` });
    this.fitted.get(forecaster.name)?.dispose?.();
    this.fitted.delete(forecaster.name);
    this.active.splice(this.active.indexOf(forecaster), 1);
    for (const fold of folds) delete fold.predictions[forecaster.name];
  }

  async fit(train: SeriesSlice, context: FitContext, where: string, folds: Fold[]): Promise<void> {
    for (const forecaster of [...this.active]) {
      this.fitted.get(forecaster.name)?.dispose?.();
      this.fitted.delete(forecaster.name);
      try {
        this.fitted.set(forecaster.name, await forecaster.fit(train, context));
      } catch (error) {
        this.drop(forecaster, error, where, folds);
      }
    }
  }

  forecast(history: SeriesSlice, horizon: number, where: string, folds: Fold[]): Record<string, number[]> {
    const predictions: Record<string, number[]> = {};
    for (const forecaster of [...this.active]) {
      try {
        const forecast = this.fitted.get(forecaster.name)!.forecast(history, horizon);
        if (!forecast.every(Number.isFinite))
          throw new DataError(`expected finite forecasts, got ${forecast.find((v) => !Number.isFinite(v))}`);
        predictions[forecaster.name] = forecast;
      } catch (error) {
        this.drop(forecaster, error, where, folds);
      }
    }
    return predictions;
  }

  dispose(): void {
    for (const model of this.fitted.values()) model.dispose?.();
  }
}

/**
 * Walk-forward (rolling-origin) evaluation: at each origin every forecaster is fitted on the past
 * only (refit every `refitEvery` folds) and forecasts the next `horizon` values. A forecaster sees
 * slices of the series that end at its fold's training end (fit) or origin (forecast): nothing later.
 * A forecaster that cannot run on the series (a DataError, a forecast that is not finite) is left
 * out of every fold and listed in `notRun` with why; the others go on.
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
  const models = new Models(forecasters);
  const folds: Fold[] = [];
  let trainStart = 0;
  let trainEnd = 0;
  try {
    for (const [index, origin] of origins.entries()) {
      if (context.signal) throwIfCancelled(context.signal, `backtest fold ${index + 1} of ${origins.length}`);
      const where = `fold ${index + 1} of ${origins.length}, origin ${series.dates[origin] ?? origin}`;
      if (index % options.refitEvery === 0) {
        trainEnd = origin;
        trainStart = options.window === 'sliding' ? Math.max(0, origin - (options.windowSize ?? origin)) : 0;
        const train = sliceSeries(series, trainStart, trainEnd);
        await models.fit(train, { ...context, seed: context.seed + index }, where, folds);
      }
      const history = sliceSeries(
        series,
        options.window === 'sliding' ? Math.max(0, origin - (options.windowSize ?? origin)) : 0,
        origin,
      );
      const predictions = models.forecast(history, options.horizon, where, folds);
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
    models.dispose();
  }
  return { models: models.active.map(({ name, kind }) => ({ name, kind })), folds, notRun: models.notRun };
}
