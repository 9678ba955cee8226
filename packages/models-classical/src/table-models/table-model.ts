import { PREDICTION_TASKS, type PredictionTask } from '@stagegraph/contracts';
import { defineContract, type ContractValue } from '@stagegraph/pipeline';
import { z } from 'zod';

/** The models the `models-classical.table` stage trains on a prepared table: what its `model` param names. */
export const TABLE_MODEL_KINDS = ['random-forest', 'gradient-boosting', 'linear', 'knn', 'svm', 'baseline'] as const;
export type TableModelKind = (typeof TABLE_MODEL_KINDS)[number];

/** A classical model trained on a prepared table, as the cache and run folders keep it: plain JSON. */
export const TABLE_MODEL = defineContract({
  name: 'table model',
  kind: 'json',
  schema: z.object({
    format: z.literal('stagegraph-table-model'),
    kind: z.enum(TABLE_MODEL_KINDS),
    task: z.enum(PREDICTION_TASKS),
    label: z.string(),
    /** A classification's class names: predicted codes index them. */
    classes: z.array(z.string()).optional(),
    /** The feature columns a table must have to be predicted, in the order the model reads them. */
    features: z.array(z.string()),
    /** The options it was trained with, defaults filled in. */
    options: z.record(z.string(), z.unknown()),
    /** Rows it trained on when it trained on a seeded sample, and of how many. */
    sample: z.object({ rows: z.number().int(), of: z.number().int() }).optional(),
    /** The kind's own trained form (a tree ensemble, weights, kept rows, libsvm's model text...). */
    trained: z.unknown(),
  }),
  expected: 'a table model {format: "stagegraph-table-model", kind, task, label, features, trained}',
});
export type TableModel = ContractValue<typeof TABLE_MODEL>;

/** What a model kind trains on: a row-major matrix and its targets (class codes or numbers). */
export interface TableFitData {
  x: Float64Array;
  rows: number;
  cols: number;
  task: PredictionTask;
  /** Class codes (classification) or values (regression), one per row. */
  y: Int32Array | Float64Array;
  /** Classes of a classification (codes 0..classes-1); 0 for a regression. */
  classes: number;
}

/** A model's predictions for rows: class codes or values, and class probabilities (rows x classes) when it has them. */
export interface TablePrediction {
  predicted: Float64Array;
  probabilities?: Float64Array;
}
