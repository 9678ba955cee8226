export {
  classificationReport,
  confusionMatrix,
  type ClassificationReport,
  type ClassReport,
} from './classification.js';
export { mae, mape, persistenceForecast, regressionReport, rmse, type RegressionReport } from './regression.js';
export { directionalAccuracy, mase, smape, theilU2 } from './forecast-accuracy.js';
export { dieboldMariano, type DieboldMarianoResult } from './diebold-mariano.js';
export { selectModel, type CandidateFigures, type ModelSelection } from './model-selection.js';
export { r2 } from './goodness-of-fit.js';
export { LOG_LOSS_EPSILON, logLoss, rocAuc } from './probability-scores.js';
export { tableMetrics } from './table-metrics.js';
export { defaultGoal, selectTableModel } from './table-selection.js';
// Every stage this package defines (the `stages` export that makes the package a plugin): '@stagegraph/metrics/stages' has them alone.
export {
  classificationMetricsStage,
  regressionMetricsStage,
  selectModelStage,
  selectTableModelStage,
  stages,
  tableMetricsStage,
} from './stages.js';

// Re-exported: argmax of class rows is defined once, beside the tensor contracts whose values it reads.
export { argmaxRows } from '@stagegraph/contracts';
