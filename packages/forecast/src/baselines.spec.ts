import { describe, expect, it } from '@jest/globals';
import { drift, movingAverage, persistence, ridgeAutoregression, seasonalNaive } from './baselines.js';
import type { Forecaster } from './forecaster.js';
import { nextLevel, step, TARGETS, toTargetSeries } from './targets.js';

const train = (values: number[]) => ({ values, dates: values.map((_, i) => `d${i}`) });
const forecast = async (f: Forecaster, values: number[], horizon: number) =>
  (await f.fit(train(values), { seed: 1 })).forecast(train(values), horizon);

describe('baselines', () => {
  it('persistence repeats the last value', async () => {
    expect(await forecast(persistence(), [3, 5, 4], 3)).toEqual([4, 4, 4]);
  });

  it('drift extends the line from the first to the last value', async () => {
    // slope (10 - 2) / 4 = 2
    expect(await forecast(drift(), [2, 9, 1, 7, 10], 2)).toEqual([12, 14]);
  });

  it('seasonal naive repeats the last season', async () => {
    expect(await forecast(seasonalNaive(3), [1, 2, 3, 10, 20, 30], 4)).toEqual([10, 20, 30, 10]);
    await expect(seasonalNaive(7).fit(train([1, 2]), { seed: 1 })).rejects.toThrow(
      'seasonal-naive-7: expected at least 7 training values, got 2',
    );
  });

  it('moving average is the mean of the last window', async () => {
    expect(await forecast(movingAverage(2), [1, 4, 6], 2)).toEqual([5, 5]);
  });

  it('ridge AR recovers the coefficient of an AR(1) and forecasts by it', async () => {
    // x[t] = 0.8 x[t-1] + noise (a fixed pseudo-random sequence); least squares should find about 0.8
    const values = [1];
    let s = 7;
    for (let t = 1; t < 2000; t++) {
      s = (s * 16807) % 2147483647;
      values.push(0.8 * values[t - 1] + (s / 2147483647 - 0.5));
    }
    const fitted = await ridgeAutoregression({ lags: 1, lambda: 0, differenced: false }).fit(train(values), {
      seed: 1,
    });
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const [next] = fitted.forecast(train([...values, 10]), 1);
    // standardised fit: next - mean ~= 0.8 (10 - mean)
    expect((next - mean) / (10 - mean)).toBeCloseTo(0.8, 1);
  });
});

describe('targets', () => {
  it('each target inverts back to the level', () => {
    for (const target of TARGETS) expect(nextLevel(100, step(100, 103, target), target)).toBeCloseTo(103, 10);
    expect(toTargetSeries([100, 110, 99], 'difference')).toEqual([10, -11]);
    expect(toTargetSeries([100, 110], 'log-return')[0]).toBeCloseTo(Math.log(1.1), 12);
    expect(toTargetSeries([100, 110], 'level')).toEqual([100, 110]);
  });
});
