import { z } from 'zod';

/**
 * The most trials a sweep runs (a grid's combinations, or `trials` draws): every trial's config is
 * built and validated before the first runs, so a grid of 10^6 would exhaust memory first.
 */
export const MAX_SWEEP_TRIALS = 10_000;

/** A config path a sweep varies, as `--set` writes it: `stages.train.params.units`, `...models.5.units`, `...models[name=x].units`. */
const overridePath = z
  .string()
  .regex(
    /^[A-Za-z$_][\w$-]*(\.[\w$-]+|\[[\w$-]+=[^\]]+\])+$/,
    'expected a dotted config path such as stages.train.params.units or stages.b.params.models[name=x].units',
  );

/** A range for random search: uniform in [min, max], or log-uniform; `integer` rounds. */
export const rangeSchema = z
  .strictObject({
    min: z.number(),
    max: z.number(),
    log: z.boolean().default(false),
    integer: z.boolean().default(false),
  })
  .refine((r) => r.min < r.max, { message: 'expected min < max' })
  .refine((r) => !r.log || r.min > 0, { message: 'a log range needs min > 0' });

/** The values one swept path takes: a list (grid, or choices for random search) or a range. */
export const sweepValuesSchema = z.union([
  z.array(z.unknown()).min(1),
  z.strictObject({ choices: z.array(z.unknown()).min(1) }),
  rangeSchema,
]);

/**
 * A `sweep` block: several runs of one config over a search space (DVC's `exp run --queue`, Keras
 * Tuner, Ludwig hyperopt). `halving` is successive halving on an epoch budget: every trial trains
 * `budget.min` epochs, the best 1/eta go on with eta times more, up to `budget.max`.
 */
export const sweepSchema = z
  .strictObject({
    method: z.enum(['grid', 'random', 'halving']),
    params: z
      .record(overridePath, sweepValuesSchema)
      .refine((p) => Object.keys(p).length > 0, { message: 'expected at least one path to vary' }),
    /** How many trials random and halving draw (grid runs every combination). */
    trials: z.number().int().min(1).max(MAX_SWEEP_TRIALS).optional(),
    /** Seeds the draws of random and halving; the config's seed by default. Trials keep the config's seed. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    objective: z.strictObject({ metric: z.string().min(1), goal: z.enum(['min', 'max']) }),
    budget: z
      .strictObject({
        param: overridePath,
        min: z.number().int().min(1),
        max: z.number().int().min(1),
        eta: z.number().int().min(2).default(3),
      })
      .refine((b) => b.min < b.max, { message: 'expected min < max' })
      .optional(),
  })
  .superRefine((sweep, ctx) => {
    if (sweep.method === 'grid') {
      for (const [path, values] of Object.entries(sweep.params)) {
        if (!Array.isArray(values))
          ctx.addIssue({
            code: 'custom',
            path: ['params', path],
            message: 'a grid needs a list of values; ranges and choices are for random and halving',
          });
      }
      if (sweep.trials !== undefined)
        ctx.addIssue({ code: 'custom', path: ['trials'], message: 'a grid runs every combination: leave trials out' });
      // counted, not enumerated: a grid of 10^9 would not fit in memory
      const sizes = Object.values(sweep.params).map((values) => (Array.isArray(values) ? values.length : 1));
      const count = sizes.reduce((product, size) => product * size, 1);
      if (count > MAX_SWEEP_TRIALS)
        ctx.addIssue({
          code: 'custom',
          path: ['params'],
          message: `expected a grid of at most ${MAX_SWEEP_TRIALS.toLocaleString('en-US')} trials, got ${count.toLocaleString('en-US')} (${sizes.join(' x ')} values): sweep fewer values, or draw some with random search`,
        });
    } else if (sweep.trials === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['trials'],
        message: `expected the number of trials ${sweep.method} search draws`,
      });
    }
    if (sweep.method === 'halving' && !sweep.budget)
      ctx.addIssue({
        code: 'custom',
        path: ['budget'],
        message: 'halving needs a budget: { "param": "stages.train.params.epochs", "min": 1, "max": 9 }',
      });
    if (sweep.method !== 'halving' && sweep.budget)
      ctx.addIssue({ code: 'custom', path: ['budget'], message: 'only halving takes a budget' });
    if (sweep.budget && sweep.budget.param in sweep.params)
      ctx.addIssue({
        code: 'custom',
        path: ['budget', 'param'],
        message: 'the budget param is set by halving: do not also sweep it',
      });
  });

export type Sweep = z.infer<typeof sweepSchema>;
export type SweepValues = z.infer<typeof sweepValuesSchema>;
