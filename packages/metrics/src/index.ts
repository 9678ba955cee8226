import { regressionMetricsStage } from './stages/regression.stage.js';

export { mae, mape, persistenceForecast, regressionReport, rmse, type RegressionReport } from './regression.js';
export { regressionMetricsStage };

/** Every stage this package defines, for a StageRegistry. */
export const metricsStages = [regressionMetricsStage];
