import { LAYERS_MODEL } from '@stagegraph/core-tensor/ports';
import type { tf } from '@stagegraph/core-tensor';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { NEXT_VALUE_FORECAST, SCALER, SERIES } from '@stagegraph/contracts';
import { z } from 'zod';

/**
 * The forecast a user actually wants from a trained forecaster: the value after the last day of
 * data, from the last window of the whole series (training and test periods together).
 */
export const forecastNextStage = defineStage({
  type: 'models-lstm.forecast-next',
  version: 1,
  description:
    "Forecasts the value after the end of the series from its last window, in the series' units: nextDayForecast, nextDayAfter (last date) and lastValue.",
  params: z.strictObject({}),
  inputs: {
    model: port(LAYERS_MODEL),
    series: port(SERIES, { description: 'the whole series in original units (load.series)' }),
    scaler: port(SCALER, { description: 'the scaler the model was trained under (scale.scaler)' }),
  },
  outputs: { forecast: port(NEXT_VALUE_FORECAST) },
  async run(inputs, _p, ctx) {
    const { model, series } = inputs;
    const { min, max } = inputs.scaler;
    const seqLength = model.inputs[0].shape[1];
    if (typeof seqLength !== 'number')
      throw new DataError(
        `${ctx.stageId}.inputs.model: expected a model with a fixed window length, got input shape ${JSON.stringify(model.inputs[0].shape)}`,
      );
    if (series.values.length < seqLength)
      throw new DataError(
        `${ctx.stageId}.inputs.series: expected at least ${seqLength} values (one window), got ${series.values.length}`,
      );
    // The MinMaxScaler's mapping, applied here so this package needs no preprocessing dependency.
    const range = max - min || 1;
    const window = series.values.slice(-seqLength).map((v) => (v - min) / range);
    const { tf } = await import('@stagegraph/core-tensor');
    const scaled = tf.tidy(() => (model.predict(tf.tensor3d(window, [1, seqLength, 1])) as tf.Tensor).dataSync()[0]);
    return {
      forecast: {
        nextDayForecast: scaled * range + min,
        nextDayAfter: series.dates?.at(-1) ?? `value ${series.values.length}`,
        lastValue: series.values.at(-1)!,
      },
    };
  },
});
