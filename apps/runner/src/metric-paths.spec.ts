import { describe, expect, it } from '@jest/globals';
import { numericMetricPaths } from './metric-paths.js';

describe('numericMetricPaths', () => {
  it('names nested numbers by dotted paths and the best model by best.<name>, leaving lists out', () => {
    const paths = numericMetricPaths({
      origins: 103,
      models: { 'lstm-small': { kind: 'learned', rmse: 2.5, dmPValue: null }, persistence: { rmse: 2.8 } },
      best: 'lstm-small',
      confusionMatrix: [
        [1, 2],
        [3, 4],
      ],
      verdict: 'text',
    });
    expect(paths).toEqual({
      origins: 103,
      'models.lstm-small.rmse': 2.5,
      'models.persistence.rmse': 2.8,
      'best.rmse': 2.5,
    });
  });

  it('adds no best.* when best names no model', () => {
    expect(numericMetricPaths({ best: 'gone', models: { a: { rmse: 1 } } })).toEqual({ 'models.a.rmse': 1 });
  });
});
