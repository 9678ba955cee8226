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
  version: 3, // 2: an lstm's features "all", and a ratio target's fallback on values <= 0; 3: a GRU trains in the fused GRU kernels (other float rounding)
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
    // the model's code (TensorFlow.js for an lstm) loads when the stage runs
    const [{ forecasterFor }, { adaptModels }] = await Promise.all([
      import('../forecaster-for.js'),
      import('../adapt-models.js'),
    ]);
    const { specs, notes } = adaptModels([p.model], history); // decided on the history alone: the test period is unseen
    for (const note of notes) ctx.log(note);
    const fitted = await forecasterFor(specs[0]).fit(history, { seed: ctx.seed, signal: ctx.signal });
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
