import { describe, expect, it } from '@jest/globals';
import { applyOverrides } from './overrides.js';

describe('applyOverrides', () => {
  const raw = { name: 'p', stages: { train: { type: 't.x', params: { epochs: 5 } }, load: { type: 't.y' } } };

  it('sets JSON values and plain strings without touching the original', () => {
    const result = applyOverrides(raw, ['stages.train.params.epochs=3', 'stages.load.params.path=data/a b.csv', 'seed=7']) as any;
    expect(result.stages.train.params.epochs).toBe(3);
    expect(result.stages.load.params.path).toBe('data/a b.csv');
    expect(result.seed).toBe(7);
    expect(raw.stages.train.params.epochs).toBe(5);
  });

  it('rejects unknown stages with did-you-mean and malformed overrides', () => {
    expect(() => applyOverrides(raw, ['stages.trian.params.epochs=3'], 'p.json')).toThrow('p.json: --set stages.trian.params.epochs=3: no stage "trian" (did you mean "train"?)');
    expect(() => applyOverrides(raw, ['epochs'])).toThrow('--set epochs: expected path=value');
    expect(() => applyOverrides(raw, ['name.x=1'])).toThrow('"name" is not an object');
  });
});
