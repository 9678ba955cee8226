import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { TABLE_METRICS, TABLE_PREDICTIONS } from '@stagegraph/contracts';
import { z } from 'zod';

export const tableMetricsStage = defineStage({
  type: 'metrics.table',
  version: 1,
  description:
    "A table model's scores on its test rows. Classification: accuracy, balanced accuracy, macro and weighted F1, log loss (from probabilities), ROC AUC (two classes), precision, recall and F1 per class by name, and the confusion matrix with the class names. Regression: RMSE, MAE and R². Training and prediction seconds, the training sample and permutation importance pass through.",
  params: z.strictObject({}),
  inputs: { predictions: port(TABLE_PREDICTIONS, { description: "a table model's predictions on labelled rows" }) },
  outputs: { metrics: port(TABLE_METRICS) },
  async run(inputs, _p, ctx) {
    const { tableMetrics } = await import('../table-metrics.js'); // with jStat (regression.js), loaded when scored
    try {
      return { metrics: tableMetrics(inputs.predictions) };
    } catch (error) {
      throw new DataError(`${ctx.stageId}.inputs.predictions.${(error as Error).message}`);
    }
  },
});
