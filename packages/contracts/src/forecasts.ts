import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';
import { aNumber, numberList } from './numbers.js';

/** Scores of predictions against actual values; with the history before them, against persistence too. */
export const REGRESSION_METRICS = defineContract({
  name: 'regression metrics',
  kind: 'metrics',
  schema: z.object({
    n: aNumber,
    rmse: aNumber,
    mae: aNumber,
    mape: aNumber,
    /** Symmetric MAPE, percent. */
    smape: aNumber,
    persistenceRmse: aNumber.optional(),
    persistenceMae: aNumber.optional(),
    persistenceMape: aNumber.optional(),
    /** rmse / persistenceRmse: below 1 means the model beats the naive forecast. */
    rmseRatio: aNumber.optional(),
    /** MAE scaled by the in-sample naive MAE of the history (two values or more). */
    mase: aNumber.optional(),
    theilU2: aNumber.optional(),
    directionalAccuracy: aNumber.optional(),
    /** Diebold-Mariano (HLN-corrected) against persistence: negative statistic = the model is better (three points or more). */
    dmStatistic: aNumber.optional(),
    dmPValue: aNumber.optional(),
  }),
  expected: 'regression metrics {n, rmse, mae, mape, smape}',
});
export type RegressionMetrics = ContractValue<typeof REGRESSION_METRICS>;

/** The value after the end of a series, forecast from its last window. */
export const NEXT_VALUE_FORECAST = defineContract({
  name: 'next-value forecast',
  kind: 'metrics',
  schema: z.object({ nextDayForecast: aNumber, nextDayAfter: z.string(), lastValue: aNumber }),
  expected: 'a forecast {nextDayForecast, nextDayAfter, lastValue}',
});
export type NextValueForecast = ContractValue<typeof NEXT_VALUE_FORECAST>;

const backtestFold = z.object({
  /** Index of the first forecast value; the fold's past ends just before it. */
  origin: aNumber,
  /** The training period of the fit used in this fold, [trainStart, trainEnd). */
  trainStart: aNumber,
  trainEnd: aNumber,
  actual: numberList,
  /** Forecasts by model name. */
  predictions: z.record(z.string(), numberList),
});

/** Every forecast of a walk-forward backtest: the series, the models, and each fold's forecasts. */
export const BACKTEST = defineContract({
  name: 'backtest forecasts',
  kind: 'json',
  schema: z.object({
    name: z.string().optional(),
    dates: z.array(z.string()),
    values: numberList,
    models: z.array(z.object({ name: z.string(), kind: z.enum(['baseline', 'learned']) })),
    folds: z.array(backtestFold),
  }),
  expected: 'backtest forecasts {dates, values, models, folds}',
});
export type Backtest = ContractValue<typeof BACKTEST>;
export type BacktestFold = Backtest['folds'][number];
export type BacktestModel = Backtest['models'][number];

const modelScores = z.object({
  kind: z.enum(['baseline', 'learned']),
  rmse: aNumber,
  mae: aNumber,
  mape: aNumber,
  smape: aNumber,
  mase: aNumber,
  theilU2: aNumber,
  directionalAccuracy: aNumber,
  /** RMSE over persistence's RMSE on the same points: below 1 beats "tomorrow = today". */
  rmseRatio: aNumber,
  /** Diebold-Mariano (HLN) against persistence; negative statistic = this model is better. Null when there are too few points for the test (fewer than 3, or no more than the horizon). */
  dmStatistic: aNumber.nullable(),
  dmPValue: aNumber.nullable(),
  /** Mean and standard deviation of the per-fold RMSE: the spread a single split hides. */
  foldRmseMean: aNumber,
  foldRmseStd: aNumber,
});

/** Every model of a backtest scored over all its forecast points, against persistence. */
export const MODEL_COMPARISON = defineContract({
  name: 'model comparison',
  kind: 'metrics',
  schema: z.object({
    models: z.record(z.string(), modelScores),
    /** The model with the lowest RMSE. */
    best: z.string(),
    origins: aNumber,
    horizon: aNumber,
    points: aNumber,
    /** One sentence: who won, by how much against persistence, and whether that is significant at 5%; and any model not run. */
    verdict: z.string(),
    /**
     * Models the backtest could not run on the series (too few values for their windows, a forecast
     * that is not finite...), each with why: not scored, the others scored without them. Absent when
     * every model ran.
     */
    notRun: z
      .array(z.object({ name: z.string(), kind: z.enum(['baseline', 'learned']), reason: z.string() }))
      .optional(),
  }),
  expected: 'a model comparison {models, best, verdict}',
});
export type ModelComparison = ContractValue<typeof MODEL_COMPARISON>;
export type ModelScores = ModelComparison['models'][string];
export type ModelNotRun = NonNullable<ModelComparison['notRun']>[number];
