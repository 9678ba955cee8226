import { TABLE, TABLE_PREDICTIONS, TIMING, TRAINING_HISTORY } from '@stagegraph/contracts';
import { LAYERS_MODEL } from '@stagegraph/core-tensor/ports';
import { defineStage, port } from '@stagegraph/pipeline';
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
  seed: z
    .number()
    .int()
    .optional()
    .describe("seed of the initial weights, dropout and shuffles (default: the stage's)"),
});

export const denseTableStage = defineStage({
  type: 'models-cnn.dense-table',
  version: 1,
  description:
    'Trains a dense network on a prepared table (softmax head for a classification, linear for a regression; Adam), batch by batch from the typed-array rows with seeded shuffles and early stopping on the validation table, and predicts its test rows.',
  params,
  inputs: {
    train: port(TABLE, { description: 'the prepared training rows: number features and the label' }),
    test: port(TABLE, { description: 'the prepared rows to predict and score' }),
    validation: port(TABLE, { optional: true, description: 'prepared rows early stopping watches' }),
  },
  outputs: {
    model: port(LAYERS_MODEL),
    history: port(TRAINING_HISTORY, { description: 'per-epoch loss and accuracy, and their validation values' }),
    predictions: port(TABLE_PREDICTIONS, {
      description: 'the test rows: actual and predicted, probabilities, timings',
    }),
    timing: port(TIMING, { description: 'seconds the training took, rows and epochs' }),
  },
  async run(inputs, p, ctx) {
    // TensorFlow.js loads when the stage runs
    const { trainDenseTable } = await import('../dense-table/train-dense-table.js');
    return trainDenseTable(inputs, p, ctx);
  },
});
