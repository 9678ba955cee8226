import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { chronologicalSplit } from './chronological-split.js';
import { MinMaxScaler } from './minmax-scaler.js';
import { slidingWindows, windowsAfter } from './sliding-windows.js';
import { StandardScaler } from './standard-scaler.js';

describe('StandardScaler', () => {
  it('centres on the fitted mean and divides by the fitted (population) deviation, and back', () => {
    // mean 4, deviations -2, 0, 2: variance 8/3
    const scaler = StandardScaler.fit([2, 4, 6]);
    const sd = Math.sqrt(8 / 3);
    expect(scaler.transform([2, 4, 10])).toEqual([-2 / sd, 0, 6 / sd]);
    expect(scaler.inverseTransform(scaler.transform([2, 4, 10]))[2]).toBeCloseTo(10, 12);
    expect(StandardScaler.fit([5, 5]).transform([5, 6])).toEqual([0, 1]);
  });
});

const series = (values: number[]) => ({ name: 'v', dates: values.map((_, i) => `d${i}`), values });

describe('MinMaxScaler', () => {
  it('maps the fitted range to [0, 1] and back', () => {
    const scaler = MinMaxScaler.fit([2, 4, 10]);
    expect(scaler.transform([2, 4, 10, 14])).toEqual([0, 0.25, 1, 1.5]);
    expect(scaler.inverseTransform([0, 0.25, 1])).toEqual([2, 4, 10]);
    expect(MinMaxScaler.fromJSON(scaler.toJSON()).transform([6])).toEqual([0.5]);
  });

  it('leaves a constant series at 0 instead of dividing by zero', () => {
    expect(MinMaxScaler.fit([5, 5]).transform([5, 6])).toEqual([0, 1]);
  });

  it('inverse(transform(x)) == x', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (values) => {
          const scaler = MinMaxScaler.fit(values);
          scaler.inverseTransform(scaler.transform(values)).forEach((v, i) => expect(v).toBeCloseTo(values[i], 6));
        },
      ),
    );
  });
});

describe('chronologicalSplit', () => {
  it('keeps order and puts the first 80% in train', () => {
    const { train, test } = chronologicalSplit(series([1, 2, 3, 4, 5]), 0.8);
    expect(train.values).toEqual([1, 2, 3, 4]);
    expect(test).toEqual({ name: 'v', dates: ['d4'], values: [5] });
  });

  it('sizes add up for any fraction that leaves both sides', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (n, fraction) => {
        fc.pre(Math.floor(n * fraction) >= 1 && Math.floor(n * fraction) < n);
        const { train, test } = chronologicalSplit(series(Array.from({ length: n }, (_, i) => i)), fraction);
        expect(train.values.length + test.values.length).toBe(n);
        expect(train.values.at(-1)! + 1).toBe(test.values[0]);
      }),
    );
  });

  it('refuses a split that leaves one side empty', () => {
    expect(() => chronologicalSplit(series([1, 2]), 0.2)).toThrow(
      'expected a split that leaves rows on both sides, got 0 of 2 rows for training',
    );
  });
});

describe('windows', () => {
  it('pairs each window with the next value', () => {
    expect(slidingWindows([1, 2, 3, 4, 5], 3)).toEqual({
      inputs: [
        [1, 2, 3],
        [2, 3, 4],
      ],
      targets: [4, 5],
    });
  });

  it('gives every test value a window reaching back into the training period', () => {
    expect(windowsAfter([1, 2, 3, 4], [5, 6], 2)).toEqual({
      inputs: [
        [3, 4],
        [4, 5],
      ],
      targets: [5, 6],
    });
  });

  it('explains when there are too few values', () => {
    expect(() => slidingWindows([1, 2, 3], 3, 'train')).toThrow(
      'train: expected more than seqLength=3 values to make windows, got 3',
    );
  });

  it('never lets a training window or target cross into the test period', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 200 }), fc.integer({ min: 1, max: 8 }), (n, seqLength) => {
        const values = Array.from({ length: n }, (_, i) => i);
        const { train, test } = chronologicalSplit(series(values), 0.8);
        fc.pre(train.values.length > seqLength);
        const trainWindows = slidingWindows(train.values, seqLength);
        const lastTrain = train.values.at(-1)!;
        expect(Math.max(...trainWindows.targets, ...trainWindows.inputs.flat())).toBeLessThanOrEqual(lastTrain);
        const testWindows = windowsAfter(train.values, test.values, seqLength);
        expect(testWindows.targets).toEqual(test.values);
        expect(trainWindows.targets.length + testWindows.targets.length + seqLength).toBe(n);
      }),
    );
  });
});
