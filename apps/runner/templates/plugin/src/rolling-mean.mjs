import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { SERIES } from '@stagegraph/contracts';
import { z } from 'zod';

/** The mean of the last `window` values at each date (the first window-1 dates have none and are dropped). */
export function rollingMean(values, window) {
  const means = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= window) sum -= values[i - window];
    if (i >= window - 1) means.push(sum / window);
  }
  return means;
}

export const rollingMeanStage = defineStage({
  type: 'mine.rolling-mean', // "<your package>.<name>": bump `version` when the output would change
  version: 1,
  description: 'A series smoothed by the mean of its last `window` values.',
  params: z.strictObject({
    window: z.number().int().min(1).default(20).describe('values in each mean'),
  }),
  inputs: { series: port(SERIES, { description: 'values in date order' }) },
  outputs: { series: port(SERIES, { description: 'the smoothed series, from the window-th date on' }) },
  async run(inputs, params, ctx) {
    const { name, dates, values } = inputs.series;
    // a DataError is the user's to fix: one line, exit 2 (any other error is a bug: exit 1)
    if (values.length < params.window)
      throw new DataError(
        `series: expected at least ${params.window} values for window ${params.window}, got ${values.length}`,
      );
    ctx.log(`${values.length - params.window + 1} means of ${params.window}`);
    return {
      series: {
        name: `${name} (mean of ${params.window})`,
        dates: dates.slice(params.window - 1),
        values: rollingMean(values, params.window),
      },
    };
  },
});
