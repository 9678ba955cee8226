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

  describe('lists and deletes, as Hydra writes them', () => {
    const withModels = {
      name: 'p',
      stages: {
        load: { type: 't.y', params: { features: ['high', 'low'], where: { a: 1 } } },
        backtest: {
          type: 't.b',
          params: {
            models: [
              { name: 'naive', kind: 'persistence' },
              { name: 'origin-recipe', units: 50 },
            ],
          },
        },
      },
    };
    const models = (config: unknown) => (config as any).stages.backtest.params.models;

    it('indexes a list by position and by an item field', () => {
      const result = applyOverrides(withModels, [
        'stages.backtest.params.models.0.kind=drift',
        'stages.backtest.params.models[name=origin-recipe].units=8',
      ]);
      expect(models(result)).toEqual([
        { name: 'naive', kind: 'drift' },
        { name: 'origin-recipe', units: 8 },
      ]);
      expect(models(withModels)[1].units).toBe(50);
    });

    it('keeps dots and = inside a bracketed name', () => {
      const raw = { stages: { s: { type: 't', params: { models: [{ name: 'a.b=c', units: 1 }] } } } };
      const result = applyOverrides(raw, ['stages.s.params.models[name=a.b=c].units=2']) as any;
      expect(result.stages.s.params.models[0].units).toBe(2);
    });

    it('appends to a list with +=, and deletes keys and items with ~', () => {
      const result = applyOverrides(withModels, [
        'stages.backtest.params.models+={"name": "drift", "kind": "drift"}',
        '~stages.load.params.features',
        '~stages.backtest.params.models[name=naive]',
        '~stages.load.params.where={"a": 1}',
      ]) as any;
      expect(models(result).map((m: any) => m.name)).toEqual(['origin-recipe', 'drift']);
      expect(result.stages.load.params).toEqual({});
    });

    it('names the path and what is there when it cannot', () => {
      const fails = (override: string, message: string) =>
        expect(() => applyOverrides(withModels, [override], 'p.json')).toThrow(`p.json: --set ${override}: ${message}`);
      fails('stages.backtest.params.models.5.units=4', '"stages.backtest.params.models" has 2 items (0 to 1), got 5');
      fails(
        'stages.backtest.params.models[name=origin-recipie].units=4',
        '"stages.backtest.params.models" has no item with name "origin-recipie" (did you mean "origin-recipe"?) (names: naive, origin-recipe)',
      );
      fails('stages.backtest.params.models.units=4', '"stages.backtest.params.models" is a list: index it by position');
      const twoLstms = {
        name: 'p',
        stages: { b: { type: 't.b', params: { models: [{ kind: 'naive' }, { kind: 'lstm' }, { kind: 'lstm' }] } } },
      };
      expect(() => applyOverrides(twoLstms, ['stages.b.params.models[kind=lstm].units=4'], 'p.json')).toThrow(
        'p.json: --set stages.b.params.models[kind=lstm].units=4: "stages.b.params.models" has 2 items with kind "lstm" (positions 1, 2), expected one: use a position or a field that tells them apart',
      );
      fails('~stages.load.params.columns', 'no "columns" in stages.load.params to delete');
      fails('~stages.load.params.where={"a": 2}', 'expected "where" to be {"a":2} to delete it, got {"a":1}');
      fails('stages.load.params.where+=x', 'expected a list to append to at "where", got an object');
      fails('stages.load.params.where.a.b=1', '"stages.load.params.where.a" is not an object or a list (it is number)');
      fails('stages.load.params.features]x=1', 'expected a list item as key[field=value], got "features]x"');
      fails('stages.load.params.features[x=1', 'expected path=value, path+=value or ~path');
    });

    it('reaches into lists from a sweep trial the same way (paths in its params)', () => {
      const result = applyOverrides(withModels, ['stages.backtest.params.models.1.units=16']) as any;
      expect(models(result)[1].units).toBe(16);
    });
  });
});
