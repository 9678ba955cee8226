import { z } from 'zod';
import { defineContract } from '../contract.js';
import { defineStage } from '../stage-definition.js';
import { StageRegistry } from '../stage-registry.js';

// The test stages' ports are plain kinds (validate's kind-by-kind messages are tested with them), so
// their values come as unknown and are read through this schema.
const numberList = z.array(z.number());

/** A contract of the engine's own tests (the real ones are in @stagegraph/contracts, which the engine does not know). */
export const NUMBER_LIST = defineContract({
  name: 'list of numbers',
  kind: 'json',
  schema: numberList,
  expected: 'an array of numbers',
});

/** Calls to each stage's run, by stage id, so tests can see what was computed. */
export const runLog: string[] = [];
/** `<id> start` and `<id> end` of test.numbers, so tests can see overlap without a clock. */
export const activityLog: string[] = [];

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('aborted'))), { once: true });
  });

export const numbers = defineStage({
  type: 'test.numbers',
  version: 1,
  description: 'Emits a list of numbers after an optional delay.',
  params: z.strictObject({
    values: z.array(z.number()).default([1, 2, 3]),
    delayMs: z.number().int().min(0).default(0),
  }),
  inputs: {},
  outputs: { values: { kind: 'json' } },
  async run(_inputs, params, ctx) {
    runLog.push(ctx.stageId);
    activityLog.push(`${ctx.stageId} start`);
    await sleep(params.delayMs, ctx.signal);
    activityLog.push(`${ctx.stageId} end`);
    return { values: params.values };
  },
});

export const scale = defineStage({
  type: 'test.scale',
  version: 1,
  description: 'Multiplies numbers by a factor.',
  params: z.strictObject({ factor: z.number().default(2) }),
  inputs: { values: { kind: 'json' } },
  outputs: { values: { kind: 'json' } },
  async run(inputs, params, ctx) {
    runLog.push(ctx.stageId);
    return { values: numberList.parse(inputs.values).map((v) => v * params.factor) };
  },
});

export const sum = defineStage({
  type: 'test.sum',
  version: 1,
  description: 'Adds up two lists of numbers into a metric.',
  params: z.strictObject({ label: z.string().default('total') }),
  inputs: { a: { kind: 'json' }, b: { kind: 'json', optional: true } },
  outputs: { metrics: { kind: 'metrics' } },
  async run(inputs, params, ctx) {
    runLog.push(ctx.stageId);
    const all = [...numberList.parse(inputs.a), ...numberList.parse(inputs.b ?? [])];
    return { metrics: { [params.label]: all.reduce((s, v) => s + v, 0) } };
  },
});

export const passThrough = defineStage({
  type: 'test.pass-through',
  version: 1,
  description: 'Hands its input on as its output: the very same object.',
  params: z.strictObject({}),
  inputs: { values: { kind: 'json' } },
  outputs: { values: { kind: 'json' } },
  async run(inputs, _params, ctx) {
    runLog.push(ctx.stageId);
    return { values: inputs.values };
  },
});

/** Named inputs: any number of lists, under names the config picks; says which is the longest. */
export const longest = defineStage({
  type: 'test.longest',
  version: 1,
  description: 'Names the longest of its inputs.',
  params: z.strictObject({}),
  inputs: {},
  namedInputs: { kind: 'json', min: 2 },
  outputs: { metrics: { kind: 'metrics' } },
  async run(inputs, _params, ctx) {
    runLog.push(ctx.stageId);
    const sizes = Object.entries(inputs).map(([name, values]) => [name, numberList.parse(values).length] as const);
    return {
      metrics: { longest: [...sizes].sort((a, b) => b[1] - a[1])[0][0], inputs: sizes.map(([name]) => name).join(',') },
    };
  },
});

export function testRegistry(): StageRegistry {
  return new StageRegistry([numbers, scale, sum, passThrough, longest]);
}
