import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { BACKTEST, MODEL_COMPARISON, SERIES } from '@stagegraph/contracts';
import { z } from 'zod';
import { modelSpecSchema } from '../model-specs.js';
import { forecastOrigins, stepForOrigins } from '../walk-forward.js';

const params = z
  .strictObject({
    models: z
      .array(modelSpecSchema)
      .min(1)
      .describe('the models to compare; persistence is added when missing, as the reference'),
    start: z
      .union([
        z.number().gt(0).lt(1),
        // a day that exists: "2020-13-45" would otherwise sort after every 2020 date and start the backtest in 2021
        z.iso.date({
          error: (issue) =>
            `expected a fraction such as 0.8 or a day that exists as YYYY-MM-DD, got ${JSON.stringify(issue.input)}`,
        }),
      ])
      .default(0.8)
      .describe('the first forecast origin: a fraction of the series (0.8) or the first date forecast (YYYY-MM-DD)'),
    step: z.number().int().min(1).default(20).describe('values between one origin and the next'),
    minOrigins: z
      .number()
      .int()
      .min(2)
      .optional()
      .describe('a shorter step where `step` would give fewer origins than this (a short or monthly series)'),
    horizon: z.number().int().min(1).default(1).describe('values forecast from each origin'),
    window: z
      .enum(['expanding', 'sliding'])
      .default('expanding')
      .describe('train on all the past, or on the last windowSize values'),
    windowSize: z.number().int().min(2).optional().describe('training values per fold with a sliding window'),
    refitEvery: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('refit the models every this many origins (learned models are slow to fit)'),
    maxOrigins: z.number().int().min(1).optional().describe('keep only the latest this many origins'),
  })
  .refine((p) => p.window === 'expanding' || p.windowSize !== undefined, {
    message: 'a sliding window needs windowSize',
    path: ['windowSize'],
  });

export const backtestStage = defineStage({
  type: 'forecast.backtest',
  version: 4, // 2: models adapt to the series (features, a ratio target's fallback); a model that cannot run is listed as not run; 3: recurrent dropout draws a new mask every step; 4: a GRU trains in the fused GRU kernels (other float rounding)
  description:
    'Walk-forward backtest: at each origin every model is fitted on the past only and forecasts the next values; scores all of them against persistence over every origin (RMSE, MASE, U2, Diebold-Mariano...). A model that cannot run on the series is listed as not run, with why, and the others are scored.',
  params,
  inputs: { series: port(SERIES, { description: 'the whole series, in date order' }) },
  outputs: { backtest: port(BACKTEST), comparison: port(MODEL_COMPARISON) },
  async run(inputs, p, ctx) {
    const { series } = inputs;
    const start =
      typeof p.start === 'number'
        ? Math.round(series.values.length * p.start)
        : series.dates.findIndex((d) => d >= (p.start as string));
    // two values before the first origin at least: the scores scale errors by the in-sample changes (MASE)
    if (start < 2)
      throw new DataError(
        `${ctx.stageId}.params.start: expected an origin with at least 2 values before it and 1 after, got ${JSON.stringify(p.start)} (the series runs ${series.dates[0]} to ${series.dates.at(-1)}, ${series.values.length} values)`,
      );
    // the models (TensorFlow.js for an lstm) and the scores load when a backtest runs
    const [{ forecasterFor }, { walkForward }, { compareModels }, { adaptModels }] = await Promise.all([
      import('../forecaster-for.js'),
      import('../walk-forward.js'),
      import('../compare-models.js'),
      import('../adapt-models.js'),
    ]);
    const asked = p.models.some((m) => m.type === 'persistence')
      ? p.models
      : [{ type: 'persistence' as const }, ...p.models];
    // features the series carries, a ratio target's fallback on values <= 0: one line each
    const { specs, notes } = adaptModels(asked, series);
    for (const note of notes) ctx.log(note);
    const forecasters = specs.map(forecasterFor);
    const names = forecasters.map((f) => f.name);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice !== undefined)
      throw new DataError(
        `${ctx.stageId}.params.models: expected distinct model names (give one a "name"), got "${twice}" twice`,
      );
    const options = {
      start,
      step: p.step,
      horizon: p.horizon,
      window: p.window,
      windowSize: p.windowSize,
      refitEvery: p.refitEvery,
      maxOrigins: p.maxOrigins,
    };
    const length = series.values.length;
    const step = p.minOrigins ? stepForOrigins(length, options, p.minOrigins) : p.step;
    if (step !== p.step) {
      const given = forecastOrigins(length, options).length;
      options.step = step;
      const now = forecastOrigins(length, options).length;
      const short =
        now < p.minOrigins!
          ? `: ${now} origins, the series is too short for minOrigins ${p.minOrigins}`
          : ` (minOrigins ${p.minOrigins})`;
      ctx.log(`step ${p.step} gives ${given} origins on this series; step ${step} instead${short}`);
    }
    const origins = forecastOrigins(series.values.length, options).length;
    if (origins === 0)
      throw new DataError(
        `${ctx.stageId}.params: expected at least one forecast origin, got none (start at value ${start} of ${series.values.length}, horizon ${p.horizon})`,
      );
    ctx.log(`${forecasters.length} models, ${origins} origins, horizon ${p.horizon}, refit every ${p.refitEvery}`);
    const result = await walkForward(series, forecasters, options, {
      seed: ctx.seed,
      signal: ctx.signal,
      onFold: (done, total) => ctx.progress({ batch: done, batches: total }),
    });
    for (const { name, reason } of result.notRun) ctx.log(`${name}: not run, ${reason}`);
    const comparison = compareModels(result, series.values);
    ctx.log(comparison.verdict);
    const { models, folds } = result;
    return { backtest: { name: series.name, dates: series.dates, values: series.values, models, folds }, comparison };
  },
});
