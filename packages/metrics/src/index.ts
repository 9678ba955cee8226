import { classificationMetricsStage } from './stages/classification.stage.js';
import { regressionMetricsStage } from './stages/regression.stage.js';
import { selectModelStage } from './stages/select.stage.js';

export { classificationReport, confusionMatrix, type ClassificationReport, type ClassReport } from './classification.js';
export { mae, mape, persistenceForecast, regressionReport, rmse, type RegressionReport } from './regression.js';
export { directionalAccuracy, mase, smape, theilU2 } from './forecast-accuracy.js';
export { dieboldMariano, type DieboldMarianoResult } from './diebold-mariano.js';
export { selectModel, type CandidateFigures, type ModelSelection } from './model-selection.js';
export { classificationMetricsStage, regressionMetricsStage, selectModelStage };

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [regressionMetricsStage, classificationMetricsStage, selectModelStage];

// Re-exported: argmax of class rows is defined once, beside the tensor contracts whose values it reads.
export { argmaxRows } from '@stagegraph/contracts';
