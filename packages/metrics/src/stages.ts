// '@stagegraph/metrics/stages': the stage definitions alone (jStat loads when a regression is scored).
import { classificationMetricsStage } from './stages/classification.stage.js';
import { regressionMetricsStage } from './stages/regression.stage.js';
import { selectModelStage } from './stages/select.stage.js';
import { selectTableModelStage } from './stages/select-table.stage.js';
import { tableMetricsStage } from './stages/table.stage.js';

export {
  classificationMetricsStage,
  regressionMetricsStage,
  selectModelStage,
  selectTableModelStage,
  tableMetricsStage,
};

/** Every stage this package defines: the `stages` export that makes the package a plugin. */
export const stages = [
  regressionMetricsStage,
  classificationMetricsStage,
  selectModelStage,
  tableMetricsStage,
  selectTableModelStage,
];
