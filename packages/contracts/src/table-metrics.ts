import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';
import { aNumber, numberList } from './numbers.js';
import { crossValidation } from './table-predictions.js';

/** What every table model's scores carry, whatever the task: which model, on what, how fast, on how many rows. */
const common = {
  label: z.string(),
  /** The model that predicted, as its predictions name it (random-forest, dense, mean baseline...). */
  model: z.string(),
  /** Rows scored. */
  n: aNumber,
  trainSeconds: aNumber.optional(),
  predictSeconds: aNumber.optional(),
  /** Rows the model trained on when it trained on a seeded sample, and of how many. */
  sample: z.object({ rows: z.number().int(), of: z.number().int() }).optional(),
  /** Permutation importance, largest drop first, as the predictions carried it. */
  importance: z.array(z.object({ feature: z.string(), drop: aNumber })).optional(),
  /** The k-fold cross-validation the predictions carried, and its mean and std as numbers a models table shows. */
  crossValidation: crossValidation.optional(),
  cvMean: aNumber.optional(),
  cvStd: aNumber.optional(),
};

const classScores = z.object({ class: z.string(), precision: aNumber, recall: aNumber, f1: aNumber, support: aNumber });

const classificationScores = z.object({
  task: z.literal('classification'),
  ...common,
  accuracy: aNumber,
  /** Mean recall over the classes present in the actual labels: accuracy that a majority class cannot inflate. */
  balancedAccuracy: aNumber,
  /** Means over the classes present in the actual or predicted labels (as scikit-learn averages them). */
  macroPrecision: aNumber,
  macroRecall: aNumber,
  macroF1: aNumber,
  /** F1 of each class weighted by its support. */
  weightedF1: aNumber,
  /** Mean negative log probability of the true class, probabilities clipped to [1e-15, 1 - 1e-15]; with probabilities only. */
  logLoss: aNumber.optional(),
  /** Area under the ROC curve of the second class's probability (two classes, both present, probabilities given). */
  rocAuc: aNumber.optional(),
  /** The class names, in the order of the confusion matrix's rows and columns. */
  classes: z.array(z.string()),
  perClass: z.array(classScores),
  /** confusionMatrix[true][predicted] = count, in the order of `classes`. */
  confusionMatrix: z.array(numberList),
});

const regressionScores = z.object({
  task: z.literal('regression'),
  ...common,
  rmse: aNumber,
  mae: aNumber,
  /** 1 - residual sum of squares / total sum of squares around the mean of the actual values. */
  r2: aNumber,
});

/** A table model's scores on labelled rows: a classification's or a regression's, by `task`. */
export const TABLE_METRICS = defineContract({
  name: 'table metrics',
  kind: 'metrics',
  schema: z.discriminatedUnion('task', [classificationScores, regressionScores]),
  expected: 'table metrics {task, label, model, n, ...}',
});
export type TableMetrics = ContractValue<typeof TABLE_METRICS>;
export type TableClassificationMetrics = Extract<TableMetrics, { task: 'classification' }>;
export type TableRegressionMetrics = Extract<TableMetrics, { task: 'regression' }>;
export type TableClassScores = TableClassificationMetrics['perClass'][number];
