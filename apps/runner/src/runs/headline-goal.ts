/**
 * Metrics where a larger value is better. Every other headline a run can have (RMSE, MAE, MAPE, a
 * loss, an RMSE ratio to persistence, a p-value) is better smaller, as the headline's priority list
 * (accuracy, rmse, macroF1, mae) and sweep objectives assume.
 */
const HIGHER_IS_BETTER = new Set([
  'accuracy',
  'balancedAccuracy',
  'macroF1',
  'weightedF1',
  'f1',
  'precision',
  'recall',
  'r2',
  'auc',
  'directionalAccuracy',
]);

/** The last segment of a metric path: `models.ridge-ar-5.rmse` -> `rmse`, `cnnEval.accuracy` -> `accuracy`. */
export const bareMetric = (name: string) => name.slice(name.lastIndexOf('.') + 1);

/** Whether a headline metric is better small (`min`) or large (`max`), by its bare name. */
export const headlineGoal = (name: string): 'min' | 'max' => (HIGHER_IS_BETTER.has(bareMetric(name)) ? 'max' : 'min');
