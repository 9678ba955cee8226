import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { NUMBERS, REGRESSION_METRICS, SERIES } from '@stagegraph/contracts';
import { z } from 'zod';

export const regressionMetricsStage = defineStage({
  type: 'metrics.regression',
  version: 2,
  description:
    "RMSE, MAE, MAPE and sMAPE of predictions against actual values; with the preceding series wired, the same for the persistence forecast (tomorrow = today), rmseRatio, MASE, Theil's U2, directional accuracy and a Diebold-Mariano test against persistence.",
  params: z.strictObject({}),
  inputs: {
    actual: port(SERIES, { description: 'the actual values' }),
    predicted: port(NUMBERS, { description: 'one per actual value' }),
    history: port(SERIES, {
      optional: true,
      description:
        'the series before the actual period: its last value seeds the persistence forecast, and it scales MASE',
    }),
  },
  outputs: { metrics: port(REGRESSION_METRICS) },
  async run(inputs, _p, ctx) {
    const actual = inputs.actual.values;
    const { predicted, history } = inputs;
    if (predicted.length !== actual.length) {
      throw new DataError(
        `${ctx.stageId}.inputs.predicted: expected ${actual.length} values (one per actual value), got ${predicted.length}`,
      );
    }
    const { regressionReport } = await import('../regression.js'); // with jStat, for the Diebold-Mariano test
    return { metrics: regressionReport(actual, predicted, history?.values) };
  },
});
