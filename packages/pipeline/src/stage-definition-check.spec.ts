import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { defineContract, port } from './contract.js';
import { defineStage } from './stage-definition.js';
import { stageDefinitionProblem } from './stage-definition-check.js';

const KINDS = new Set(['json', 'metrics']);
const valid = {
  type: 'mine.stage',
  version: 1,
  description: 'A stage.',
  params: z.strictObject({}),
  inputs: { values: { kind: 'json' } },
  outputs: { metrics: { kind: 'metrics' } },
  run: async () => ({ metrics: {} }),
};

describe('stageDefinitionProblem: what a plugin stage gets wrong, in one line', () => {
  it('finds nothing wrong with a stage made by defineStage, nor with the same plain object', () => {
    expect(stageDefinitionProblem(defineStage(valid), KINDS)).toBeUndefined();
    expect(stageDefinitionProblem(valid, KINDS)).toBeUndefined();
  });

  it.each([
    ['null', null, 'expected a stage made with defineStage, got null'],
    ['a number', 42, 'expected a stage made with defineStage, got number'],
    ['an array', [valid], 'expected a stage made with defineStage, got an array'],
    [
      'a type only',
      { type: 'x' },
      'type: expected "package.name" in lower case, got "x"; version: expected a whole number from 1, got undefined; description: expected a string, got undefined; params: expected a zod schema (zod 4), got undefined; inputs: expected an object of ports ({ kind, contract? } each), got undefined; outputs: expected an object of ports ({ kind, contract? } each), got undefined; run: expected a function, got undefined',
    ],
    [
      'params that are not zod',
      { ...valid, params: { safeParse: () => ({ success: true }) } },
      'params: expected a zod schema (zod 4), got an object with safeParse',
    ],
    [
      'params from zod 3',
      { ...valid, params: { _def: {}, safeParse: () => undefined } },
      'params: expected a zod schema (zod 4), got a zod 3 schema',
    ],
    [
      'inputs that are a number',
      { ...valid, inputs: 5 },
      'inputs: expected an object of ports ({ kind, contract? } each), got number',
    ],
    [
      'a port that is a string',
      { ...valid, outputs: { metrics: 'metrics' } },
      'outputs.metrics: expected a port ({ kind, contract? }), got string',
    ],
    [
      'a port that is null',
      { ...valid, inputs: { values: null } },
      'inputs.values: expected a port ({ kind, contract? }), got null',
    ],
    [
      'no outputs',
      { ...valid, outputs: undefined },
      'outputs: expected an object of ports ({ kind, contract? } each), got undefined',
    ],
    ['an empty outputs object', { ...valid, outputs: {} }, 'outputs: expected at least one output port, got none'],
    ['a run that is not a function', { ...valid, run: 'go' }, 'run: expected a function, got string'],
    [
      'a fingerprint that is not a function',
      { ...valid, fingerprint: {} },
      'fingerprint: expected a function, got an object with no keys',
    ],
    [
      'a data check that is not a function',
      { ...valid, check: ['column'] },
      'check: expected a function, got an array',
    ],
  ])('%s', (_what, stage, problem) => {
    expect(stageDefinitionProblem(stage, KINDS)).toBe(problem);
  });

  it('refuses a port kind no codec stores, naming the contract that declares it', () => {
    const weird = defineContract({ name: 'weird thing', kind: 'weird' });
    expect(stageDefinitionProblem({ ...valid, outputs: { thing: port(weird) } }, KINDS)).toBe(
      'outputs.thing.kind: expected a port kind with a codec (json, metrics), got "weird" (from contract "weird thing")',
    );
    expect(stageDefinitionProblem({ ...valid, inputs: { values: { kind: 'tensor' } } }, KINDS)).toBe(
      'inputs.values.kind: expected a port kind with a codec (json, metrics), got "tensor"',
    );
    expect(stageDefinitionProblem({ ...valid, namedInputs: { kind: 'weird' } }, KINDS)).toBe(
      'namedInputs.kind: expected a port kind with a codec (json, metrics), got "weird"',
    );
  });

  it('refuses a port whose kind is not its contract’s', () => {
    const numbers = defineContract({ name: 'numbers', kind: 'json' });
    expect(
      stageDefinitionProblem({ ...valid, inputs: { values: { kind: 'metrics', contract: numbers } } }, KINDS),
    ).toBe('inputs.values.kind: expected "json", the kind of its contract "numbers", got "metrics"');
  });
});
