import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './errors.js';
import { testRegistry } from './test-support/test-stages.js';
import { validateConfig } from './validate-config.js';

const registry = testRegistry();
const issuesOf = (config: unknown): string[] => {
  try {
    validateConfig(config, registry, 'p.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
};
const base = () => ({
  name: 'p',
  stages: {
    a: { type: 'test.numbers' },
    b: { type: 'test.scale', inputs: { values: 'a.values' } },
    total: { type: 'test.sum', inputs: { a: 'b.values' } },
  },
});

describe('validateConfig', () => {
  it('orders stages after the stages they read and applies param defaults', () => {
    const pipeline = validateConfig(base(), registry);
    expect(pipeline.stages.map((s) => s.id)).toEqual(['a', 'b', 'total']);
    expect(pipeline.stages[1].params).toEqual({ factor: 2 });
    expect(pipeline.seed).toBe(42);
  });

  it('suggests the closest stage type for a misspelt one', () => {
    const config = base();
    config.stages.b.type = 'test.scael';
    expect(issuesOf(config)).toEqual(['stages.b.type: unknown stage type "test.scael" (did you mean "test.scale"?)']);
  });

  it('names unknown input ports, missing stages and missing output ports', () => {
    const config = base() as any;
    config.stages.b.inputs = { valeus: 'a.values' };
    config.stages.total.inputs = { a: 'bb.values' };
    const issues = issuesOf(config);
    expect(issues).toContain(
      'stages.b.inputs.valeus: test.scale has no input "valeus" (did you mean "values"?); its inputs are values',
    );
    expect(issues).toContain('stages.b.inputs.values: required input of test.scale is not wired');
    expect(issues).toContain('stages.total.inputs.a: no stage "bb" (did you mean "b"?)');
    config.stages.total.inputs = { a: 'b.valus' };
    expect(issuesOf(config)).toContain(
      'stages.total.inputs.a: stage "b" (test.scale) has no output "valus" (did you mean "values"?); its outputs are values',
    );
  });

  it('rejects wiring a port of another kind', () => {
    const config = base() as any;
    config.stages.extra = { type: 'test.scale', inputs: { values: 'total.metrics' } };
    expect(issuesOf(config)).toEqual([
      'stages.extra.inputs.values: extra.values expects a json, total.metrics gives a metrics',
    ]);
  });

  it('takes inputs a stage lets the config name, of its kind, and counts them', () => {
    const config = base() as any;
    config.stages.pick = { type: 'test.longest', inputs: { short: 'a.values', long: 'b.values' } };
    expect(validateConfig(config, registry).stages.find((s) => s.id === 'pick')!.inputs).toEqual({
      short: { stage: 'a', port: 'values' },
      long: { stage: 'b', port: 'values' },
    });
    config.stages.pick.inputs = { only: 'a.values' };
    expect(issuesOf(config)).toEqual([
      'stages.pick.inputs: test.longest expects at least 2 named inputs (each a json), got 1',
    ]);
    config.stages.pick.inputs = { short: 'a.values', total: 'total.metrics' };
    expect(issuesOf(config)).toEqual([
      'stages.pick.inputs.total: pick.total expects a json, total.metrics gives a metrics',
    ]);
  });

  it('names the members of a cycle', () => {
    const config = base() as any;
    config.stages.a = { type: 'test.scale', inputs: { values: 'b.values' } };
    expect(issuesOf(config)).toEqual(['stages: cycle between stages a -> b -> a']);
  });

  it('reports params that fail the schema with their JSON path, and unknown keys with did-you-mean', () => {
    const config = base() as any;
    config.stages.b.params = { factor: 'x' };
    config.stages.a.params = { delyMs: 3 };
    const issues = issuesOf(config);
    expect(issues).toContain('stages.b.params.factor: expected number, got string');
    expect(issues).toContain(
      'stages.a.params: unknown key "delyMs" (did you mean "delayMs"?); expected one of values, delayMs',
    );
  });

  it('says one line for a field that breaks several checks', () => {
    const config = base() as any;
    config.stages.a.params = { delayMs: 1e300 };
    const issues = issuesOf(config);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^stages\.a\.params\.delayMs: /);
  });

  it('rejects unknown top-level keys and a missing name', () => {
    expect(issuesOf({ stages: {}, nmae: 'x' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: /),
        'unknown key "nmae" (did you mean "name"?); expected one of $schema, name, description, headline, plugins, seed, sweep, stages',
      ]),
    );
  });

  it('prefixes each issue with the file name in the message', () => {
    const config = base();
    config.stages.b.type = 'nope.nope';
    expect(() => validateConfig(config, registry, 'p.json')).toThrow(
      /^p\.json: stages\.b\.type: unknown stage type "nope\.nope"$/,
    );
  });
});
