import {
  preparationMismatch,
  TABLE,
  TABLE_MODEL_CARD,
  TABLE_MODEL_CARD_FORMAT,
  TABLE_PREDICTIONS,
  TABLE_PREPARATION,
  tableFeatureNames,
  TIMING,
  TRAINING_HISTORY,
} from '@stagegraph/contracts';
import { LAYERS_MODEL } from '@stagegraph/core-tensor/ports';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { z } from 'zod';
import { DENSE_ACTIVATIONS } from '../dense-table/dense-activations.js';

const params = z.strictObject({
  hidden: z
    .array(z.number().int().min(1))
    .default([64, 32])
    .describe('units of each hidden layer, input to output ([] : a linear or softmax regression)'),
  activation: z.enum(DENSE_ACTIVATIONS).default('relu').describe('activation of the hidden layers'),
  dropout: z.number().min(0).lt(1).default(0).describe('dropout rate after each hidden layer'),
  batchNorm: z.boolean().default(false).describe('batch normalization after each hidden layer'),
  epochs: z.number().int().min(1).max(1000).default(50).describe('passes over the training rows, at most'),
  batchSize: z.number().int().min(1).max(65536).default(64).describe('rows per gradient step'),
  learningRate: z.number().gt(0).max(10).default(0.001).describe("Adam's step size"),
  patience: z
    .number()
    .int()
    .min(0)
    .default(5)
    .describe(
      'epochs without a better validation loss (the training loss when no validation table is wired) before stopping; the best epoch is kept; 0 turns stopping off',
    ),
  maxRows: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('train on a seeded sample of at most this many training rows (default: every row)'),
  seed: z
    .number()
    .int()
    .optional()
    .describe("seed of the initial weights, dropout and shuffles (default: the stage's)"),
});

export const denseTableStage = defineStage({
  type: 'models-cnn.dense-table',
  version: 2, // 2: dropout draws a new mask every step (seededDropout)
  description:
    'Trains a dense network on a prepared table (softmax head for a classification, linear for a regression; Adam), batch by batch from the typed-array rows with seeded shuffles and early stopping on the validation table, and predicts its test rows.',
  params,
  inputs: {
    train: port(TABLE, { description: 'the prepared training rows: number features and the label' }),
    test: port(TABLE, { description: 'the prepared rows to predict and score' }),
    validation: port(TABLE, { optional: true, description: 'prepared rows early stopping watches' }),
    preparation: port(TABLE_PREPARATION, {
      description: 'the preparation that made the rows (tables.prepare), saved with the model for predict',
    }),
  },
  outputs: {
    model: port(LAYERS_MODEL),
    card: port(TABLE_MODEL_CARD, {
      description:
        'the preparation, for `stagegraph predict`: table-model.json beside model.json and weights.bin in models/<stage>',
    }),
    history: port(TRAINING_HISTORY, { description: 'per-epoch loss and accuracy, and their validation values' }),
    predictions: port(TABLE_PREDICTIONS, {
      description: 'the test rows: actual and predicted, probabilities, timings',
    }),
    timing: port(TIMING, { description: 'seconds the training took, rows and epochs' }),
  },
  async run(inputs, p, ctx) {
    // TensorFlow.js loads when the stage runs
    const { trainDenseTable } = await import('../dense-table/train-dense-table.js');
    const { preparation, ...tables } = inputs;
    // a table without a label is the training's own error to name
    const label = inputs.train.label;
    const features = tableFeatureNames(inputs.train, `${ctx.stageId}.inputs.train`);
    const mismatch = label === undefined ? undefined : preparationMismatch(preparation, { features, label });
    if (mismatch) throw new DataError(`${ctx.stageId}.inputs.preparation: ${mismatch}`);
    const trained = await trainDenseTable(tables, p, ctx);
    return { ...trained, card: { format: TABLE_MODEL_CARD_FORMAT, preparation, network: true } };
  },
});
