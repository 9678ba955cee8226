import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { checkStageData } from './check-stage-data.js';
import { DataError } from './errors.js';
import { defineStage } from './stage-definition.js';
import { StageRegistry } from './stage-registry.js';
import { validateConfig } from './validate-config.js';

/** A stage whose check says what its `problem` param tells it to: nothing, a line, a refusal, a fault. */
const loader = defineStage({
  type: 'test.loader',
  version: 1,
  description: 'A loader with a check.',
  params: z.strictObject({ problem: z.enum(['none', 'line', 'refusal', 'fault']).default('none') }),
  inputs: {},
  outputs: { values: { kind: 'json' } },
  async check(p, ctx) {
    if (p.problem === 'refusal') throw new DataError(`data.csv: expected a file, got none (in ${ctx.workDir})`);
    if (p.problem === 'fault') throw new TypeError('a bug');
    return p.problem === 'line' ? [`${ctx.paramsPath}.column: expected one of the columns (a, b), got "c"`] : [];
  },
  run: async () => ({ values: [] }),
});
const plain = defineStage({
  type: 'test.plain',
  version: 1,
  description: 'No check.',
  params: z.strictObject({}),
  inputs: {},
  outputs: { values: { kind: 'json' } },
  run: async () => ({ values: [] }),
});
const registry = new StageRegistry([loader, plain]);

const pipeline = (problems: string[]) =>
  validateConfig(
    {
      name: 'p',
      stages: {
        plain: { type: 'test.plain' },
        ...Object.fromEntries(problems.map((problem, i) => [`load${i}`, { type: 'test.loader', params: { problem } }])),
      },
    },
    registry,
  );

describe('checkStageData', () => {
  it("passes when every stage's check finds nothing (and a stage without one)", async () => {
    await expect(checkStageData(pipeline(['none']), '/work', 'p.json')).resolves.toBeUndefined();
  });

  it('throws every line of every stage as one ConfigError, a refusal under its params', async () => {
    await expect(checkStageData(pipeline(['line', 'refusal']), '/work', 'p.json')).rejects.toMatchObject({
      name: 'ConfigError',
      issues: [
        'stages.load0.params.column: expected one of the columns (a, b), got "c"',
        'stages.load1.params: data.csv: expected a file, got none (in /work)',
      ],
    });
  });

  it('lets a fault in a check through: a bug, not the config', async () => {
    await expect(checkStageData(pipeline(['fault']), '/work')).rejects.toThrow(TypeError);
  });
});
