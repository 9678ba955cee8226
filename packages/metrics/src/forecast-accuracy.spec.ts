import { describe, expect, it } from '@jest/globals';
import { dieboldMariano } from './diebold-mariano.js';
import { directionalAccuracy, mase, smape, theilU2 } from './forecast-accuracy.js';

// Every expected value below is worked out by hand in the comment beside it.

describe('forecast accuracy', () => {
  it('sMAPE: mean of 2|F - A| / (|A| + |F|), in percent', () => {
    // 2*10/210 = 0.0952381, 2*20/380 = 0.1052632, mean 0.1002506
    expect(smape([100, 200], [110, 180])).toBeCloseTo(10.02506, 4);
    expect(smape([0, 10], [0, 10])).toBe(0);
  });

  it('MASE: MAE over the in-sample MAE of the (seasonal) naive forecast', () => {
    // naive diffs of [1, 3, 2, 5]: 2, 1, 3 -> 2; MAE of [6, 4] vs [5, 5] is 1
    expect(mase([6, 4], [5, 5], [1, 3, 2, 5])).toBeCloseTo(0.5, 10);
    // period 2: |2 - 1|, |5 - 3| -> 1.5
    expect(mase([6, 4], [5, 5], [1, 3, 2, 5], 2)).toBeCloseTo(1 / 1.5, 10);
    expect(() => mase([1], [1], [1])).toThrow('expected more than 1 training values to scale by, got 1');
  });

  it("Theil's U2: relative squared errors of the forecast over those of no change", () => {
    // prior [100, 110]; model (5/100)^2 + (1/110)^2 = 0.0025826446; naive 0.01 + 0.01
    expect(theilU2([110, 99], [105, 100], 100)).toBeCloseTo(Math.sqrt(0.0025826446 / 0.02), 8);
    // persistence itself scores exactly 1
    expect(theilU2([110, 99, 105], [100, 110, 99], 100)).toBeCloseTo(1, 12);
  });

  it('directional accuracy: the share of steps whose direction the forecast got', () => {
    // prior [100, 110, 99]: up/up hit, up/down miss, flat/flat hit
    expect(directionalAccuracy([110, 99, 99], [105, 112, 99], 100)).toBeCloseTo(2 / 3, 12);
    // the same points from separate origins, each with the value before it given
    expect(directionalAccuracy([110, 99, 99], [105, 112, 99], [100, 110, 99])).toBeCloseTo(2 / 3, 12);
    expect(theilU2([110, 99], [105, 100], [100, 110])).toBeCloseTo(Math.sqrt(0.0025826446 / 0.02), 8);
    expect(() => theilU2([110, 99], [105, 100], [100])).toThrow(
      'expected one previous value per actual value, got 1 for 2',
    );
  });
});

describe('Diebold-Mariano test', () => {
  // A's squared errors .25 .25 1 0 1, B's 1 0 1 4 9: d = -.75 .25 0 -4 -8, mean -2.5, gamma0 9.875
  const actual = [1, 2, 3, 4, 5];
  const a = [1.5, 2.5, 2, 4, 6];
  const b = [2, 2, 2, 2, 2];

  it('one step ahead: DM = mean / sqrt(gamma0 / n), HLN factor sqrt(0.8), t with 4 df', () => {
    const result = dieboldMariano(actual, a, b);
    expect(result.meanLossDifference).toBeCloseTo(-2.5, 12);
    // -2.5 / sqrt(1.975) = -1.7789202; times sqrt(0.8) = -1.5911146
    expect(result.statistic).toBeCloseTo(-1.5911146, 6);
    // 4 df: F(t) = 1/2 + 3/8 t / sqrt(1 + t^2/4) (1 - t^2 / (12 (1 + t^2/4)))
    expect(result.pValue).toBeCloseTo(0.1867944, 6);
  });

  it('two steps ahead adds twice the lag-1 autocovariance and corrects by sqrt(0.48)', () => {
    // gamma1 = (2.75*1.75 + 2.5*2.75 - 1.5*2.5 + 5.5*1.5) / 5 = 3.2375; V = 16.35
    const result = dieboldMariano(actual, a, b, 2);
    expect(result.statistic).toBeCloseTo(-0.9578263, 6);
    expect(result.pValue).toBeCloseTo(0.3923911, 6);
  });

  it('is symmetric, and says nothing when the forecasts are the same', () => {
    const swapped = dieboldMariano(actual, b, a);
    expect(swapped.statistic).toBeCloseTo(1.5911146, 6);
    expect(swapped.pValue).toBeCloseTo(0.1867944, 6);
    expect(dieboldMariano(actual, a, a)).toEqual({ n: 5, meanLossDifference: 0, statistic: 0, pValue: 1 });
    expect(() => dieboldMariano([1, 2], [1, 2], [1, 2])).toThrow(
      'expected at least 3 points for a Diebold-Mariano test, got 2',
    );
  });
});
