import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { NUMBERS, REGRESSION_METRICS, SERIES, type Series } from '@stagegraph/contracts';
import { z } from 'zod';
import { regressionReport } from '../regression.js';

export const regressionMetricsStage = defineStage({
  type: 'metrics.regression',
  version: 2,
  description:
    "RMSE, MAE, MAPE and sMAPE of predictions against actual values; with the preceding series wired, the same for the persistence forecast (tomorrow = today), rmseRatio, MASE, Theil's U2, directional accuracy and a Diebold-Mariano test against persistence.",
  params: z.strictObject({}),
  inputs: {
    actual: port(SERIES, { description: 'the actual values' }),
    predicted: port(NUMBERS, { description: 'one per actual value' }),
    history: port(SERIES, { optional: true, description: 'the series before the actual period: its last value seeds the persistence forecast, and it scales MASE' }),
  },
  outputs: { metrics: port(REGRESSION_METRICS) },
  async run(inputs, _p, ctx) {
    const actual = (inputs.actual as Series).values;
    const predicted = inputs.predicted as number[];
    if (predicted.length !== actual.length) {
      throw new DataError(`${ctx.stageId}.inputs.predicted: expected ${actual.length} values (one per actual value), got ${predicted.length}`);
    }
    const history = inputs.history as Series | undefined;
    return { metrics: regressionReport(actual, predicted, history?.values) };
  },
});
