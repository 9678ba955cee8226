import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { MODEL_SELECTION, TABLE_METRICS } from '@stagegraph/contracts';
import { z } from 'zod';
import { selectTableModel } from '../table-selection.js';

export const selectTableModelStage = defineStage({
  type: 'metrics.select-table',
  version: 1,
  description:
    'Ranks table models scored on the same rows (inputs named by the config, one per candidate: "forest": "forestEval.metrics"), one of them the baseline (named "baseline", or a mean or majority baseline model), which always stays in the table. Every candidate\'s numbers under models, the ranking, the best and a verdict against the baseline; for a regression each model\'s rmseRatio (its RMSE over the baseline\'s: below 1 beats predicting the training mean).',
  params: z.strictObject({
    metric: z
      .string()
      .min(1)
      .optional()
      .describe('the metric that ranks the candidates (default: accuracy for a classification, rmse for a regression)'),
    goal: z
      .enum(['max', 'min'])
      .optional()
      .describe('max or min (default: min for rmse, mae, rmseRatio, logLoss and seconds, max for the others)'),
  }),
  inputs: {},
  namedInputs: {
    ...port(TABLE_METRICS),
    min: 2,
    description: "a candidate's table metrics (metrics.table), under the candidate's name",
  },
  outputs: { metrics: port(MODEL_SELECTION) },
  async run(inputs, p, ctx) {
    try {
      const selection = selectTableModel(inputs, p.metric, p.goal);
      ctx.log(selection.verdict!);
      return { metrics: selection };
    } catch (error) {
      throw new DataError(`${ctx.stageId}.${(error as Error).message}`);
    }
  },
});
