import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { NUMBERS, SERIES, sliceSeries, type Series } from '@stagegraph/contracts';
import { z } from 'zod';
import { modelSpecSchema } from '../model-specs.js';

/** The history followed by the actual period, feature columns included: one series to take each step's past from. */
function joined(history: Series, actual: Series): Series {
  const features =
    history.features &&
    Object.fromEntries(
      Object.entries(history.features).map(([name, column]) => [name, [...column, ...(actual.features?.[name] ?? [])]]),
    );
  return {
    name: history.name,
    values: [...history.values, ...actual.values],
    dates: [...history.dates, ...actual.dates],
    ...(features ? { features } : {}),
  };
}

export const oneStepStage = defineStage({
  type: 'forecast.one-step',
  version: 1,
  description:
    'Fits a model (a baseline such as persistence, drift or seasonal naive, or any backtest model) on the history and forecasts each value of the actual period one step ahead from the actual values before it: a baseline to put beside a model in a single-split pipeline.',
  params: z.strictObject({ model: modelSpecSchema.describe('the model, as in forecast.backtest: {"type": "drift"}') }),
  inputs: {
    history: port(SERIES, { description: 'the training period (split.train)' }),
    actual: port(SERIES, { description: 'the period to forecast (split.test)' }),
  },
  outputs: { predicted: port(NUMBERS, { description: 'one forecast per actual value' }) },
  async run(inputs, p, ctx) {
    const { history, actual } = inputs;
    if (history.values.length === 0)
      throw new DataError(`${ctx.stageId}.inputs.history: expected values to fit on, got none`);
    const { forecasterFor } = await import('../forecaster-for.js'); // the model's code (TensorFlow.js for an lstm) loads when the stage runs
    const fitted = await forecasterFor(p.model).fit(history, { seed: ctx.seed, signal: ctx.signal });
    try {
      const whole = joined(history, actual);
      return {
        predicted: actual.values.map((_, i) => fitted.forecast(sliceSeries(whole, 0, history.values.length + i), 1)[0]),
      };
    } finally {
      fitted.dispose?.();
    }
  },
});
