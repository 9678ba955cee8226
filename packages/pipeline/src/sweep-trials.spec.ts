import { describe, expect, it } from '@jest/globals';
import { sweepSchema, type Sweep } from './sweep-schema.js';
import { halvingRungs, planTrials } from './sweep-trials.js';

const objective = { metric: 'rmse', goal: 'min' as const };
const parse = (sweep: unknown) => sweepSchema.parse(sweep) as Sweep;

describe('planTrials', () => {
  it('runs every combination of a grid, the first path varying slowest', () => {
    const sweep = parse({
      method: 'grid',
      params: { 'stages.train.params.units': [32, 64], 'stages.windows.params.seqLength': [10, 20] },
      objective,
    });
    expect(planTrials(sweep, 1)).toEqual([
      { trial: 1, params: { 'stages.train.params.units': 32, 'stages.windows.params.seqLength': 10 } },
      { trial: 2, params: { 'stages.train.params.units': 32, 'stages.windows.params.seqLength': 20 } },
      { trial: 3, params: { 'stages.train.params.units': 64, 'stages.windows.params.seqLength': 10 } },
      { trial: 4, params: { 'stages.train.params.units': 64, 'stages.windows.params.seqLength': 20 } },
    ]);
  });

  it('draws the same random trials for the same seed, other trials for another, inside the ranges', () => {
    const sweep = parse({
      method: 'random',
      trials: 50,
      params: {
        'stages.train.params.learningRate': { min: 1e-4, max: 1e-1, log: true },
        'stages.train.params.units': { min: 8, max: 12, integer: true },
        'stages.train.params.activation': { choices: ['relu', 'tanh'] },
      },
      objective,
    });
    const a = planTrials(sweep, 7);
    expect(planTrials(sweep, 7)).toEqual(a);
    expect(planTrials(sweep, 8)).not.toEqual(a);
    const rates = a.map((t) => t.params['stages.train.params.learningRate'] as number);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...rates)).toBeLessThanOrEqual(1e-1);
    // log-uniform: about a third of the draws in each decade
    expect(rates.filter((r) => r < 1e-3).length).toBeGreaterThan(8);
    expect(new Set(a.map((t) => t.params['stages.train.params.units']))).toEqual(new Set([8, 9, 10, 11, 12]));
    expect(new Set(a.map((t) => t.params['stages.train.params.activation']))).toEqual(new Set(['relu', 'tanh']));
  });

  it("prefers the sweep's own seed to the config's", () => {
    const sweep = parse({
      method: 'random',
      trials: 5,
      seed: 3,
      params: { 'stages.a.params.x': { min: 0, max: 1 } },
      objective,
    });
    expect(planTrials(sweep, 1)).toEqual(planTrials(sweep, 2));
  });
});

describe('halvingRungs', () => {
  it('keeps the best third each rung and ends at the full budget', () => {
    expect(halvingRungs(9, { min: 1, max: 9, eta: 3 })).toEqual([
      { rung: 0, budget: 1, keep: 9 },
      { rung: 1, budget: 3, keep: 3 },
      { rung: 2, budget: 9, keep: 1 },
    ]);
  });
  it('gives the last trial standing the full budget at once', () => {
    expect(halvingRungs(2, { min: 1, max: 9, eta: 3 })).toEqual([
      { rung: 0, budget: 1, keep: 2 },
      { rung: 1, budget: 9, keep: 1 },
    ]);
  });
});

describe('sweepSchema', () => {
  const messages = (sweep: unknown) =>
    sweepSchema.safeParse(sweep).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  it('says what each method needs', () => {
    expect(messages({ method: 'grid', params: { 'stages.a.params.x': { min: 0, max: 1 } }, objective })).toEqual([
      'params.stages.a.params.x: a grid needs a list of values; ranges and choices are for random and halving',
    ]);
    expect(messages({ method: 'random', params: { 'stages.a.params.x': [1, 2] }, objective })).toEqual([
      'trials: expected the number of trials random search draws',
    ]);
    expect(messages({ method: 'halving', trials: 4, params: { 'stages.a.params.x': [1, 2] }, objective })[0]).toMatch(
      /^budget: halving needs a budget/,
    );
    expect(
      messages({
        method: 'random',
        trials: 2,
        params: { 'stages.a.params.x': { min: 0, max: 1, log: true } },
        objective,
      }),
    ).toEqual(['params.stages.a.params.x: a log range needs min > 0']);
  });

  it('counts a grid before anything enumerates it, and refuses one past the limit', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => i);
    const grid = (...sizes: number[]) => ({
      method: 'grid',
      params: Object.fromEntries(sizes.map((n, i) => [`stages.s${i}.params.x`, values(n)])),
      objective,
    });
    expect(messages(grid(100, 100))).toEqual([]);
    expect(messages(grid(100, 100, 100))).toEqual([
      'params: expected a grid of at most 10,000 trials, got 1,000,000 (100 x 100 x 100 values): sweep fewer values, or draw some with random search',
    ]);
    expect(messages(grid(1000, 1000, 1000))[0]).toMatch(/got 1,000,000,000 \(1000 x 1000 x 1000 values\)/);
    expect(messages({ method: 'random', trials: 10_001, params: { 'stages.a.params.x': [1, 2] }, objective })).toEqual([
      'trials: Too big: expected number to be <=10000',
    ]);
  });
});
