import { DataError, defineStage } from '@stagegraph/pipeline';
import { z } from 'zod';
import { regressionReport } from '../regression.js';

interface SeriesLike {
  values: number[];
}

export const regressionMetricsStage = defineStage({
  type: 'metrics.regression',
  version: 1,
  description: 'RMSE, MAE and MAPE of predictions against actual values, and of the persistence forecast (tomorrow = today) when the preceding series is wired.',
  params: z.strictObject({}),
  inputs: {
    actual: { kind: 'json', description: 'Series of actual values' },
    predicted: { kind: 'json', description: 'number[], one per actual value' },
    history: { kind: 'json', optional: true, description: 'Series before the actual period; its last value seeds the persistence forecast' },
  },
  outputs: { metrics: { kind: 'metrics' } },
  async run(inputs, _p, ctx) {
    const actual = (inputs.actual as SeriesLike).values;
    const predicted = inputs.predicted as number[];
    if (predicted.length !== actual.length) {
      throw new DataError(`${ctx.stageId}.inputs.predicted: expected ${actual.length} values (one per actual value), got ${predicted.length}`);
    }
    const history = inputs.history as SeriesLike | undefined;
    return { metrics: regressionReport(actual, predicted, history?.values.at(-1)) };
  },
});
