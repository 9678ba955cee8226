import { SeededRandom } from './seeded-random.js';
import type { Sweep, SweepValues } from './sweep-schema.js';

/** One point of a sweep's search space: the value of each swept config path. */
export interface TrialParams {
  /** 1-based, in the order the trials are run. */
  trial: number;
  params: Record<string, unknown>;
}

/**
 * The trials of a sweep, the same for the same sweep and seed: a grid's every combination (the
 * first path varying slowest), or `trials` draws for random and halving.
 */
export function planTrials(sweep: Sweep, seed: number): TrialParams[] {
  const paths = Object.keys(sweep.params);
  if (sweep.method === 'grid') {
    let points: Record<string, unknown>[] = [{}];
    for (const path of paths)
      points = points.flatMap((point) =>
        (sweep.params[path] as unknown[]).map((value) => ({ ...point, [path]: value })),
      );
    return points.map((params, i) => ({ trial: i + 1, params }));
  }
  const random = new SeededRandom(sweep.seed ?? seed);
  return Array.from({ length: sweep.trials! }, (_, i) => ({
    trial: i + 1,
    params: Object.fromEntries(paths.map((path) => [path, draw(sweep.params[path], random)])),
  }));
}

function draw(values: SweepValues, random: SeededRandom): unknown {
  if (Array.isArray(values)) return values[random.nextInt(values.length)];
  if ('choices' in values) return values.choices[random.nextInt(values.choices.length)];
  const { min, max, log, integer } = values;
  const u = random.next();
  const x = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
  // integers: every whole number in [min, max] equally likely on a linear scale
  return integer
    ? Math.min(Math.floor(log ? x : min + u * (max - min + 1)), Math.floor(max))
    : Number(x.toPrecision(6));
}

/** One round of successive halving: how many trials train, and for how many epochs. */
export interface HalvingRung {
  rung: number;
  budget: number;
  /** Trials that train in this rung (the best of the rung before). */
  keep: number;
}

/**
 * Successive halving's schedule: every trial starts with `min` epochs; after each rung the best
 * ceil(n / eta) go on with eta times the budget, and the last rung trains for `max`.
 */
export function halvingRungs(trials: number, budget: { min: number; max: number; eta: number }): HalvingRung[] {
  const rungs: HalvingRung[] = [];
  let keep = trials;
  for (let b = budget.min; ; b *= budget.eta) {
    const last = b * budget.eta > budget.max || keep === 1;
    rungs.push({ rung: rungs.length, budget: last ? budget.max : b, keep });
    if (last) return rungs;
    keep = Math.max(1, Math.ceil(keep / budget.eta));
  }
}
