import { defineContract } from './contract.js';
import { shapeOf } from './value-shape.js';

// What training, scoring and plotting stages hand on: plain objects, checked by their top-level
// fields (enough to catch a wrong wire; the stage that makes one owns its full type).

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** `{epochs: [{epoch, loss, valLoss?, metrics}], bestEpoch, stoppedEarly, monitor}` from a training stage. */
export const TRAINING_HISTORY = defineContract({
  name: 'training history',
  kind: 'json',
  check: (value) => {
    const epochs = record(value)?.epochs;
    const ok = Array.isArray(epochs) && epochs.every((e) => typeof record(e)?.epoch === 'number' && typeof record(e)?.loss === 'number');
    return ok ? undefined : `expected a training history {epochs: [{epoch, loss}]}, got ${shapeOf(value)}`;
  },
});

/** `{n, rmse, mae, mape, persistence...}`. */
export const REGRESSION_METRICS = defineContract({
  name: 'regression metrics',
  kind: 'metrics',
  check: (value) => (typeof record(value)?.rmse === 'number' ? undefined : `expected regression metrics {n, rmse, mae, mape}, got ${shapeOf(value)}`),
});

/** `{n, accuracy, macro/weighted P/R/F1, perClass, confusionMatrix}`. */
export const CLASSIFICATION_METRICS = defineContract({
  name: 'classification metrics',
  kind: 'metrics',
  check: (value) =>
    typeof record(value)?.accuracy === 'number' && Array.isArray(record(value)?.confusionMatrix)
      ? undefined
      : `expected classification metrics {accuracy, confusionMatrix, ...}, got ${shapeOf(value)}`,
});

/** `{actual, predicted}`: the class of each sample, true and predicted. */
export const CLASS_PREDICTIONS = defineContract({
  name: 'class predictions',
  kind: 'json',
  check: (value) => {
    const v = record(value);
    return Array.isArray(v?.actual) && Array.isArray(v.predicted) && v.actual.length === v.predicted.length
      ? undefined
      : `expected class predictions {actual, predicted} of one length, got ${shapeOf(value)}`;
  },
});

/** `{files, errors}`: the image files read, in tensor order, and those that could not be. */
export const IMAGE_FILES = defineContract({
  name: 'image file list',
  kind: 'json',
  check: (value) =>
    Array.isArray(record(value)?.files) && Array.isArray(record(value)?.errors) ? undefined : `expected an image file list {files, errors}, got ${shapeOf(value)}`,
});

/** `{predictions: [{file, digit, probabilities}], errors}`. */
export const FILE_PREDICTIONS = defineContract({
  name: 'file predictions',
  kind: 'metrics',
  check: (value) => (Array.isArray(record(value)?.predictions) ? undefined : `expected file predictions {predictions, errors}, got ${shapeOf(value)}`),
});

/** `{nextDayForecast, nextDayAfter, lastValue}`. */
export const NEXT_VALUE_FORECAST = defineContract({
  name: 'next-value forecast',
  kind: 'metrics',
  check: (value) => (typeof record(value)?.nextDayForecast === 'number' ? undefined : `expected a forecast {nextDayForecast, nextDayAfter, lastValue}, got ${shapeOf(value)}`),
});

/** `{title, svg, png}` from a plotting stage. */
export const FIGURE = defineContract({
  name: 'figure',
  kind: 'figure',
  check: (value) => (typeof record(value)?.svg === 'string' ? undefined : `expected a figure {title, svg, png}, got ${shapeOf(value)}`),
});

/** `{name, dates, values, models: [{name, kind}], folds: [{origin, trainStart, trainEnd, actual, predictions}]}`: every forecast of a backtest. */
export const BACKTEST = defineContract({
  name: 'backtest forecasts',
  kind: 'json',
  check: (value) =>
    Array.isArray(record(value)?.folds) && Array.isArray(record(value)?.dates) ? undefined : `expected backtest forecasts {dates, values, models, folds}, got ${shapeOf(value)}`,
});

/** `{models: {<name>: {kind, rmse, rmseRatio, dmPValue, ...}}, best, verdict, origins, horizon, points}`. */
export const MODEL_COMPARISON = defineContract({
  name: 'model comparison',
  kind: 'metrics',
  check: (value) =>
    typeof record(value)?.best === 'string' && record(record(value)?.models) ? undefined : `expected a model comparison {models, best, verdict}, got ${shapeOf(value)}`,
});

/** `{seconds, samples}`: how long a training or prediction stage took on how many samples (for model selection). */
export const TIMING = defineContract({
  name: 'timing',
  kind: 'json',
  check: (value) =>
    typeof record(value)?.seconds === 'number' && typeof record(value)?.samples === 'number' ? undefined : `expected a timing {seconds, samples}, got ${shapeOf(value)}`,
});

/** `{models: {<name>: {accuracy, macroF1, trainSeconds, predictSeconds, ...}}, best, metric, goal, ranking}` from a select stage. */
export const MODEL_SELECTION = defineContract({
  name: 'model selection',
  kind: 'metrics',
  check: (value) =>
    typeof record(value)?.best === 'string' && record(record(value)?.models) && Array.isArray(record(value)?.ranking)
      ? undefined
      : `expected a model selection {models, best, ranking}, got ${shapeOf(value)}`,
});
