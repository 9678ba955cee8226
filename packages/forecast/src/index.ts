export {
  drift,
  movingAverage,
  persistence,
  ridgeAutoregression,
  seasonalNaive,
  type RidgeArOptions,
} from './baselines.js';
export { adaptModels, RATIO_FALLBACK } from './adapt-models.js';
export { compareModels, type ModelComparison, type ModelNotRun, type ModelScores } from './compare-models.js';
export type { FitContext, FittedForecaster, Forecaster, SeriesSlice, TrainingData } from './forecaster.js';
export { lstmForecaster, type LstmForecasterOptions } from './lstm-forecaster.js';
export { forecasterFor } from './forecaster-for.js';
export { modelSpecSchema, type ModelSpec, type RunnableModelSpec, type SeriesLstmSpec } from './model-specs.js';
export { nextLevel, step, TARGETS, toTargetSeries, type Target } from './targets.js';
export {
  forecastOrigins,
  walkForward,
  type Fold,
  type NotRunModel,
  type WalkForwardOptions,
  type WalkForwardResult,
} from './walk-forward.js';
// Every stage this package defines (the `stages` export that makes the package a plugin): '@stagegraph/forecast/stages' has them alone.
export { backtestStage, oneStepStage, stages } from './stages.js';
