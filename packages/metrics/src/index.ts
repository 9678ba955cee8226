import { classificationMetricsStage } from './stages/classification.stage.js';
import { regressionMetricsStage } from './stages/regression.stage.js';

export { argmaxRows, classificationReport, confusionMatrix, type ClassificationReport, type ClassReport } from './classification.js';
export { mae, mape, persistenceForecast, regressionReport, rmse, type RegressionReport } from './regression.js';
export { classificationMetricsStage, regressionMetricsStage };

/** Every stage this package defines, for a StageRegistry. */
export const metricsStages = [regressionMetricsStage, classificationMetricsStage];
