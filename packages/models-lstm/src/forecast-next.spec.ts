import { beforeAll, describe, expect, it } from '@jest/globals';
import { disposeModel, selectBackend, tensorCount, tf } from '@stagegraph/core-tensor';
import { DataError, type StageContext } from '@stagegraph/pipeline';
import { forecastNextStage } from './stages/forecast-next.stage.js';

beforeAll(() => selectBackend('cpu'));

const ctx: StageContext = {
  stageId: 'next',
  seed: 1,
  signal: new AbortController().signal,
  workDir: '.',
  progress: () => {},
  log: () => {},
};

/** A "forecaster" that answers one position of its window, so the expected forecast is exact. */
function pickPosition(seqLength: number, position: number): tf.LayersModel {
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [seqLength, 1] }), tf.layers.dense({ units: 1 })],
  });
  model.setWeights([tf.oneHot([position], seqLength).reshape([seqLength, 1]).toFloat(), tf.zeros([1])]);
  return model;
}

const series = {
  name: 'close',
  dates: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'],
  values: [100, 120, 90, 150, 140],
};
const scaler = { min: 80, max: 130 };
const forecast = async (model: tf.LayersModel, s = series) =>
  ((await forecastNextStage.run({ model, series: s, scaler }, {}, ctx)) as { forecast: Record<string, unknown> })
    .forecast;

describe('models-lstm.forecast-next', () => {
  it('feeds the last window, scaled, and answers in the series units', async () => {
    const last = pickPosition(3, 2);
    const first = pickPosition(3, 0);
    const before = tensorCount();
    const a = await forecast(last);
    expect(a.nextDayForecast).toBeCloseTo(140, 3); // the last value of the window 90, 150, 140
    expect(a).toMatchObject({ nextDayAfter: '2024-01-05', lastValue: 140 });
    expect((await forecast(first)).nextDayForecast).toBeCloseTo(90, 3);
    expect(tensorCount()).toBe(before);
    disposeModel(last);
    disposeModel(first);
  });

  it('rejects a series shorter than one window', async () => {
    const model = pickPosition(10, 0);
    await expect(forecast(model)).rejects.toThrow(
      new DataError('next.inputs.series: expected at least 10 values (one window), got 5'),
    );
    disposeModel(model);
  });
});
