import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './errors.js';
import { applyOverrides } from './overrides.js';

describe('applyOverrides', () => {
  const raw = { name: 'p', stages: { train: { type: 't.x', params: { epochs: 5 } }, load: { type: 't.y' } } };

  it('sets JSON values and plain strings without touching the original', () => {
    const result = applyOverrides(raw, [
      'stages.train.params.epochs=3',
      'stages.load.params.path=data/a b.csv',
      'seed=7',
    ]) as any;
    expect(result.stages.train.params.epochs).toBe(3);
    expect(result.stages.load.params.path).toBe('data/a b.csv');
    expect(result.seed).toBe(7);
    expect(raw.stages.train.params.epochs).toBe(5);
  });

  it('rejects unknown stages with did-you-mean and malformed overrides', () => {
    expect(() => applyOverrides(raw, ['stages.trian.params.epochs=3'], 'p.json')).toThrow(
      'p.json: --set stages.trian.params.epochs=3: no stage "trian" (did you mean "train"?)',
    );
    expect(() => applyOverrides(raw, ['epochs'])).toThrow('--set epochs: expected path=value');
    expect(() => applyOverrides(raw, ['name.x=1'])).toThrow('"name" is not an object');
  });

  it.each(['__proto__.polluted=1', 'stages.train.params.__proto__.polluted=1', 'constructor.prototype.polluted=1'])(
    'refuses %s instead of writing onto Object.prototype',
    (override) => {
      expect(() => applyOverrides(raw, [override], 'p.json')).toThrow(
        /^p\.json: --set .*: "(__proto__|constructor)" is not allowed as a key/,
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it.each([
    [null, 'null'],
    [5, 'number'],
    ['x', 'string'],
    [[1], 'an array'],
  ])(
    'refuses to set a path in a config that is %j, in one line naming the file (not a raw TypeError)',
    (config, shape) => {
      const set = () => applyOverrides(config, ['seed=3'], 'p.json');
      expect(set).toThrow(ConfigError);
      expect(set).toThrow(`p.json: --set seed=3: expected the config to be an object, got ${shape}`);
    },
  );

  it('refuses prototype keys inside a JSON value too', () => {
    expect(() => applyOverrides(raw, ['stages.train.params={"__proto__": {"polluted": 1}}'])).toThrow(
      'is not allowed as a key',
    );
  });
});
