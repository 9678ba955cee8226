import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';
import { aNumber, numberList } from './numbers.js';
import { PREDICTION_TASKS } from './table-preparation.js';

/** k-fold cross-validation over the training rows: each fold's score (accuracy or R²), their mean and std. */
export const crossValidation = z.object({
  folds: z.number().int(),
  metric: z.enum(['accuracy', 'r2']),
  scores: numberList,
  mean: aNumber,
  std: aNumber,
});

/**
 * A table model's predictions on labelled rows (a test split): what the table metrics score. For a
 * classification `actual` and `predicted` are class codes indexing `classes`, and `probabilities`
 * holds one row of class probabilities per row; for a regression they are the values.
 */
export const TABLE_PREDICTIONS = defineContract({
  name: 'table predictions',
  kind: 'json',
  schema: z
    .object({
      task: z.enum(PREDICTION_TASKS),
      label: z.string(),
      /** The model that predicted, as the config names its kind (random-forest, dense, mean baseline...). */
      model: z.string(),
      classes: z.array(z.string()).optional(),
      actual: numberList,
      predicted: numberList,
      probabilities: z.array(numberList).optional(),
      /** Seconds the model took to train, and to predict these rows. */
      trainSeconds: aNumber.optional(),
      predictSeconds: aNumber.optional(),
      /** Rows the model trained on when it trained on a seeded sample (k-NN, SVM on a large table), and of how many. */
      sample: z.object({ rows: z.number().int(), of: z.number().int() }).optional(),
      /** Permutation importance: how much the score drops when a feature's values are shuffled, largest first. */
      importance: z.array(z.object({ feature: z.string(), drop: aNumber })).optional(),
      /** k-fold scores of the same model kind over the training rows, when prepare assigned folds. */
      crossValidation: crossValidation.optional(),
    })
    .superRefine((p, ctx) => {
      if (p.actual.length !== p.predicted.length)
        ctx.addIssue({
          code: 'custom',
          message: `expected one prediction per row (${p.actual.length}), got ${p.predicted.length}`,
        });
      if (p.task === 'classification' && !p.classes?.length)
        ctx.addIssue({ code: 'custom', message: 'expected the class names of a classification, got none' });
      if (p.probabilities && p.probabilities.length !== p.actual.length)
        ctx.addIssue({
          code: 'custom',
          message: `expected one row of probabilities per row (${p.actual.length}), got ${p.probabilities.length}`,
        });
    }),
  expected: 'table predictions {task, label, model, actual, predicted}',
});
export type TablePredictions = ContractValue<typeof TABLE_PREDICTIONS>;
