import { recurrentParamShape } from '@stagegraph/models-lstm/stages';
import { z } from 'zod';
import { TARGETS } from './targets.js';

const name = z
  .string()
  .regex(/^[A-Za-z][\w.-]*$/)
  .optional()
  .describe('how the model is named in metrics.json and plots (default: its type and main parameter)');

/** A model of a backtest, as a config writes it: `{"type": "seasonal-naive", "period": 7}`. */
export const modelSpecSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('persistence').describe('tomorrow = today'), name }),
  z.strictObject({ type: z.literal('drift').describe('the last value plus the average change so far'), name }),
  z.strictObject({
    type: z.literal('seasonal-naive').describe('the value one season ago'),
    name,
    period: z.number().int().min(1).describe('values per season (7 for weekly on daily data)'),
  }),
  z.strictObject({
    type: z.literal('moving-average').describe('the mean of the last values'),
    name,
    window: z.number().int().min(1).describe('values averaged'),
  }),
  z.strictObject({
    type: z.literal('ridge-ar').describe('a linear autoregression on lags, fitted by ridge regression'),
    name,
    lags: z.number().int().min(1).max(365).default(5).describe('past values each prediction reads'),
    lambda: z.number().min(0).default(1).describe('ridge penalty on the standardised coefficients'),
    differenced: z.boolean().default(true).describe('model the changes rather than the levels'),
  }),
  z.strictObject({
    type: z
      .literal('lstm')
      .describe('a recurrent network (LSTM or GRU, stacked if asked) + Dense, trained on every refit'),
    name,
    target: z
      .enum(TARGETS)
      .default('level')
      .describe('what the model predicts: the level (the origin recipe) or a change, a return, a ratio'),
    scaler: z
      .enum(['minmax', 'standard', 'none'])
      .default('minmax')
      .describe("scaling of the targets, fitted on each fold's training period"),
    seqLength: z.number().int().min(1).max(1000).default(20).describe('values in each input window'),
    outputSteps: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(1)
      .describe('values predicted at once (direct multi-step); a longer horizon chains blocks'),
    features: z
      .union([z.literal('all'), z.array(z.string().min(1)).max(64)])
      .optional()
      .describe(
        'feature columns of the series (load-csv\'s features) read beside the target, as changes: a list (those the series lacks are left out, said in the log) or "all" (every one the series carries)',
      ),
    calendar: z.boolean().default(false).describe('add day of week and day of year (sine and cosine) to every step'),
    ...recurrentParamShape,
  }),
]);
export type ModelSpec = z.output<typeof modelSpecSchema>;

/** An lstm spec fitted to a series: its name settled, and its features the series' own (adaptModels). */
export type SeriesLstmSpec = Omit<Extract<ModelSpec, { type: 'lstm' }>, 'features'> & {
  name: string;
  features?: string[];
};

/** A model spec ready to build a forecaster from: an lstm's features are names, not "all". */
export type RunnableModelSpec = Exclude<ModelSpec, { type: 'lstm' }> | SeriesLstmSpec;
