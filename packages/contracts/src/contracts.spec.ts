import { describe, expect, it } from '@jest/globals';
import {
  CLASS_PREDICTIONS,
  FIGURE,
  MODEL_COMPARISON,
  NUMBERS,
  SCALER,
  SERIES,
  sliceSeries,
  TRAINING_HISTORY,
} from './index.js';

describe('data and result contracts', () => {
  it('accept what their producers make, extra fields included', () => {
    expect(
      SERIES.check!({
        name: 'close',
        dates: ['2020-01-01', '2020-01-02'],
        values: [1, 2],
        features: { volume: [5, 6] },
      }),
    ).toBeUndefined();
    expect(SCALER.check!({ min: 0, max: 3, note: 'kept' })).toBeUndefined();
    expect(NUMBERS.check!([1, NaN, Infinity])).toBeUndefined(); // a metric may be NaN: the contract checks the type, not the value
    const history = {
      epochs: [{ epoch: 1, loss: 0.5, valLoss: 0.6, metrics: { acc: 0.9 } }],
      bestEpoch: 1,
      stoppedEarly: false,
      monitor: 'val_loss',
    };
    expect(TRAINING_HISTORY.check!(history)).toBeUndefined();
    expect(FIGURE.check!({ title: 't', svg: '<svg/>', png: Buffer.from([1]) })).toBeUndefined();
  });

  it('say in one line what was expected and what came (the wording tests and users read)', () => {
    expect(SERIES.check!({ name: 'close', dates: ['2020-01-01'], values: [1, 2] })).toBe(
      'expected a series {name, dates, values} with one date per value, got an object with name, dates, values',
    );
    expect(SERIES.check!({ name: 'close', dates: ['d1', 'd2'], values: [1, 2], features: { volume: [5] } })).toBe(
      'expected feature "volume" to hold one number per date (2), got 1',
    );
    expect(NUMBERS.check!('1, 2')).toBe('expected an array of numbers, got string');
    expect(SCALER.check!({ min: 0 })).toBe('expected a scaler {min, max}, got an object with min (max: undefined)');
    expect(CLASS_PREDICTIONS.check!({ actual: [1], predicted: [1, 2] })).toBe(
      'expected class predictions {actual, predicted} of one length, got an object with actual, predicted',
    );
    expect(MODEL_COMPARISON.check!({ models: {}, best: 3 })).toBe(
      'expected a model comparison {models, best, verdict}, got an object with models, best (best: number)',
    );
    expect(
      TRAINING_HISTORY.check!({
        epochs: [{ epoch: 1, loss: 'x', metrics: {} }],
        bestEpoch: 1,
        stoppedEarly: false,
        monitor: 'loss',
      }),
    ).toBe(
      'expected a training history {epochs: [{epoch, loss, metrics}], bestEpoch, stoppedEarly, monitor}, got an object with epochs, bestEpoch, stoppedEarly, monitor (epochs[0].loss: string)',
    );
  });

  it('sliceSeries takes rows [from, to) of values, dates and every feature column', () => {
    const series = { name: 's', dates: ['a', 'b', 'c'], values: [1, 2, 3], features: { v: [4, 5, 6] } };
    expect(sliceSeries(series, 1)).toEqual({ name: 's', dates: ['b', 'c'], values: [2, 3], features: { v: [5, 6] } });
  });
});
