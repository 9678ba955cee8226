// What flows between stages, each defined once: a zod schema gives the contract's run-time check
// and its TypeScript type (tensor contracts read rank and dtype structurally, with no TensorFlow.js).
export {
  argmaxRows,
  CLASS_PROBABILITIES,
  IMAGES,
  isTensorLike,
  ONE_HOT_LABELS,
  TARGETS,
  WINDOWS,
  type TensorLike,
} from './tensors.js';
export {
  CLASS_NAMES,
  CLASS_PREDICTIONS,
  CLASSIFICATION_METRICS,
  classifiedAs,
  FILE_PREDICTIONS,
  IMAGE_FILES,
  MODEL_SELECTION,
  numberedClassNames,
  type CandidateFigures,
  type ClassNames,
  type ClassificationMetrics,
  type ClassPredictions,
  type ClassProbability,
  type ClassReport,
  type FileClassification,
  type FilePredictions,
  type ImageFiles,
  type ModelSelection,
} from './classes.js';
export { FIGURE, type Figure, type FigureTable } from './figure.js';
export {
  BACKTEST,
  MODEL_COMPARISON,
  NEXT_VALUE_FORECAST,
  REGRESSION_METRICS,
  type Backtest,
  type BacktestFold,
  type BacktestModel,
  type ModelComparison,
  type ModelNotRun,
  type ModelScores,
  type NextValueForecast,
  type RegressionMetrics,
} from './forecasts.js';
export { NUMBERS, SCALER, SERIES, sliceSeries, type ScalerState, type Series, type SeriesRows } from './series.js';
export { TIMING, TRAINING_HISTORY, type EpochRecord, type Timing, type TrainingHistory } from './training.js';
export { columnLength, TABLE, tableColumn, type Table, type TableColumn, type TableColumnType } from './table.js';
export { tableCodec } from './table-codec.js';
export {
  preparationMismatch,
  TABLE_MODEL_CARD,
  TABLE_MODEL_CARD_FILE,
  TABLE_MODEL_CARD_FORMAT,
  type TableModelCard,
} from './table-model-card.js';
export { readTableModelCard, tableModelCodec } from './table-model-codec.js';
export { TABLE_PREDICTIONS, type TablePredictions } from './table-predictions.js';
export {
  DATE_PARTS,
  PREDICTION_TASKS,
  preparationStep,
  TABLE_FOLDS,
  TABLE_PREPARATION,
  type DatePart,
  type PredictionTask,
  type PreparationStep,
  type TableFolds,
  type TablePreparation,
} from './table-preparation.js';
export {
  TABLE_METRICS,
  type TableClassificationMetrics,
  type TableClassScores,
  type TableMetrics,
  type TableRegressionMetrics,
} from './table-metrics.js';
export { tableFeatureNames, tableMatrix, tableTarget, type TableMatrix, type TableTarget } from './table-matrix.js';
