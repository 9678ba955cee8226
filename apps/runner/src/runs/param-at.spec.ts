import { describe, expect, it } from '@jest/globals';
import { paramAt } from './param-at.js';

const params = {
  seed: 42,
  'stages.backtest.params.step': 10,
  'stages.backtest.params.models': [
    { type: 'persistence' },
    { type: 'lstm', name: 'origin-recipe', units: 16 },
  ],
};

describe('paramAt', () => {
  it("reads a run's param by a sweep's path: a key, a list position or a list item by name", () => {
    expect(paramAt(params, 'stages.backtest.params.step')).toBe(10);
    expect(paramAt(params, 'stages.backtest.params.models.1.units')).toBe(16);
    expect(paramAt(params, 'stages.backtest.params.models[name=origin-recipe].units')).toBe(16);
    expect(paramAt(params, 'stages.backtest.params.models.0.type')).toBe('persistence');
  });

  it('is undefined where the path leads nowhere', () => {
    expect(paramAt(params, 'stages.backtest.params.models.5.units')).toBeUndefined();
    expect(paramAt(params, 'stages.backtest.params.models[name=nope].units')).toBeUndefined();
    expect(paramAt(params, 'stages.train.params.units')).toBeUndefined();
    expect(paramAt(params, 'stages.backtest.params.models[broken')).toBeUndefined();
  });
});
