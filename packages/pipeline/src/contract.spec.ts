import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { defineContract, port } from './contract.js';
import { defineStage } from './stage-definition.js';

const POINTS = defineContract({
  name: 'points',
  kind: 'json',
  schema: z
    .object({ xs: z.array(z.number()), ys: z.array(z.number()) })
    .refine((p) => p.xs.length === p.ys.length)
    .superRefine((p, ctx) => {
      if (p.xs.some((x) => x < 0))
        ctx.addIssue({ code: 'custom', message: `expected xs of 0 or more, got ${Math.min(...p.xs)}` });
    }),
  expected: 'points {xs, ys} of one length',
});

describe('defineContract from a zod schema', () => {
  it('passes a value the schema accepts, extra keys included', () => {
    expect(POINTS.check!({ xs: [1, 2], ys: [3, 4], label: 'kept' })).toBeUndefined();
  });

  it('says what was expected and what came, in one line', () => {
    expect(POINTS.check!('points')).toBe('expected points {xs, ys} of one length, got string');
    expect(POINTS.check!({ xs: [1] })).toBe(
      'expected points {xs, ys} of one length, got an object with xs (ys: undefined)',
    );
    expect(POINTS.check!({ xs: [1], ys: [2, 3] })).toBe(
      'expected points {xs, ys} of one length, got an object with xs, ys',
    );
  });

  it('names where inside the value the problem is', () => {
    expect(POINTS.check!({ xs: [1, 'two'], ys: [3, 4] })).toBe(
      'expected points {xs, ys} of one length, got an object with xs, ys (xs[1]: string)',
    );
  });

  it("uses a refinement's own message as it is", () => {
    expect(POINTS.check!({ xs: [-1, 2], ys: [3, 4] })).toBe('expected xs of 0 or more, got -1');
  });

  it('keeps its schema, and a hand-written check as given', () => {
    expect(POINTS.schema).toBeDefined();
    const ODD = defineContract<number>({
      name: 'odd',
      kind: 'json',
      check: (v) => (typeof v === 'number' && v % 2 === 1 ? undefined : 'expected an odd number'),
    });
    expect(ODD.check!(2)).toBe('expected an odd number');
    expect(Object.isFrozen(ODD) && Object.isFrozen(POINTS)).toBe(true);
  });
});

// The rest is checked by the compiler (npx tsc -p tsconfig.spec.json): a port's contract types
// what `run` receives and what it must return; each @ts-expect-error fails the typecheck once
// the line it marks compiles.
describe('defineStage types inputs and outputs by their ports', () => {
  it('gives run typed inputs and checks its outputs', async () => {
    const stage = defineStage({
      type: 'test.typed',
      version: 1,
      description: 'Counts points.',
      params: z.strictObject({ factor: z.number().default(1) }),
      inputs: { points: port(POINTS), extra: port(POINTS, { optional: true }), raw: { kind: 'json' } },
      outputs: { count: port(POINTS), raw: { kind: 'json' } },
      async run(inputs, p) {
        const xs: number[] = inputs.points.xs;
        const maybe: number[] | undefined = inputs.extra?.ys;
        // @ts-expect-error a port of a plain kind gives unknown
        const raw: string = inputs.raw;
        // @ts-expect-error no such input
        void inputs.missing;
        void maybe;
        return { count: { xs: xs.map((x) => x * p.factor), ys: xs }, raw };
      },
    });
    defineStage({
      type: 'test.wrong',
      version: 1,
      description: 'Returns the wrong shape.',
      params: z.strictObject({}),
      inputs: {},
      outputs: { count: port(POINTS) },
      // @ts-expect-error xs must be numbers
      async run() {
        return { count: { xs: ['a'], ys: [] } };
      },
    });
    defineStage({
      type: 'test.named',
      version: 1,
      description: 'Reads named inputs.',
      params: z.strictObject({}),
      inputs: {},
      namedInputs: { ...port(POINTS), min: 2 },
      outputs: { count: port(POINTS) },
      async run(inputs) {
        const lengths = Object.values(inputs).map((points) => points.xs.length);
        return { count: { xs: lengths, ys: lengths } };
      },
    });
    const ctx = {
      stageId: 't',
      seed: 1,
      signal: new AbortController().signal,
      workDir: '.',
      progress: () => {},
      log: () => {},
    };
    await expect(stage.run({ points: { xs: [1, 2], ys: [0, 0] }, raw: 'r' }, { factor: 2 }, ctx)).resolves.toEqual({
      count: { xs: [2, 4], ys: [1, 2] },
      raw: 'r',
    });
  });
});
