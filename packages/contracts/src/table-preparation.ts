import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';

/** What a table model predicts: a class (codes index the class names) or a number. */
export const PREDICTION_TASKS = ['classification', 'regression'] as const;

const finite = z.number().finite();
/** How a number (or a date part) was standardised: (value - mean) / std, std 1 where the training rows had one value. */
const scale = { mean: finite, std: finite.positive() };

/**
 * One input column's fitted step. Every statistic comes from the training rows only. `indicator`:
 * the training rows had missing values in the column, so an is-missing feature (1 or 0) follows its
 * features; a column without missing training values gets none, and a value missing later is imputed all the same.
 */
const numberStep = z.object({
  type: z.literal('number'),
  column: z.string(),
  /** A missing value becomes the training median before standardising. */
  median: finite,
  ...scale,
  indicator: z.boolean(),
});

/**
 * One-hot, in `categories` order: the categories the training rows hold (the table's 'other' bucket
 * among them, a column like any other). A value unseen in training maps to the 'other' column when
 * `other` names one (training folded its rare values there), else to all zeros; either way it is counted.
 */
const categoryStep = z.object({
  type: z.literal('category'),
  column: z.string(),
  categories: z.array(z.string()),
  other: z.string().optional(),
  indicator: z.boolean(),
});

/** 0 or 1; a missing value becomes `fill`, the share of true among the training rows (mean imputation). */
const booleanStep = z.object({ type: z.literal('boolean'), column: z.string(), fill: finite, indicator: z.boolean() });

export const DATE_PARTS = ['year', 'month', 'dayOfWeek'] as const;
export type DatePart = (typeof DATE_PARTS)[number];

/**
 * UTC year, month (1-12) and day of the week (0 = Sunday), each standardised; a part with one value in
 * every training row (a yearly date's month) is left out. A missing date becomes the training median date.
 */
const dateStep = z.object({
  type: z.literal('date'),
  column: z.string(),
  median: finite,
  parts: z.array(z.object({ part: z.enum(DATE_PARTS), ...scale })),
  indicator: z.boolean(),
});

export const preparationStep = z.discriminatedUnion('type', [numberStep, categoryStep, booleanStep, dateStep]);
export type PreparationStep = z.output<typeof preparationStep>;

/**
 * The feature preparation fitted on a table's training rows: saved with a model, so prediction applies
 * exactly the same one to new rows (categories matched by name, not by code).
 */
export const TABLE_PREPARATION = defineContract({
  name: 'table preparation',
  kind: 'json',
  schema: z
    .object({
      format: z.literal('stagegraph-table-preparation'),
      label: z.string().min(1),
      task: z.enum(PREDICTION_TASKS),
      /** Classification: the class names, in code order (class 0 first). */
      classes: z.array(z.string()).optional(),
      steps: z.array(preparationStep),
      /** The prepared features' names, in matrix column order. */
      features: z.array(z.string()),
    })
    .superRefine((p, ctx) => {
      if (p.task === 'classification' && (p.classes?.length ?? 0) < 2)
        ctx.addIssue({ code: 'custom', message: `expected two or more classes, got ${p.classes?.length ?? 0}` });
      if (p.task === 'regression' && p.classes !== undefined)
        ctx.addIssue({ code: 'custom', message: 'expected no classes for a regression, got some' });
    }),
  expected: 'a table preparation {label, task, steps, features}',
});
export type TablePreparation = ContractValue<typeof TABLE_PREPARATION>;
export type PredictionTask = TablePreparation['task'];

/**
 * k-fold cross-validation over a prepared training table: the fold that holds each of its rows out.
 * `k` 0 (and no rows) where the stage was not asked for folds.
 */
export const TABLE_FOLDS = defineContract({
  name: 'table folds',
  kind: 'json',
  schema: z
    .object({ k: z.number().int().nonnegative(), fold: z.array(z.number().int().nonnegative()) })
    .refine((f) => f.fold.every((fold) => fold < f.k), { message: 'expected every fold below k' }),
  expected: 'table folds {k, fold}',
});
export type TableFolds = ContractValue<typeof TABLE_FOLDS>;
