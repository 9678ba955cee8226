import { fitInStage, LAYERS_MODEL, tf } from '@stagegraph/core-tensor';
import { DataError, defineStage, port, TARGETS, TRAINING_HISTORY, WINDOWS } from '@stagegraph/pipeline';
import { z } from 'zod';
import { buildLstmForecaster } from '../build-forecaster.js';

const params = z.strictObject({
  units: z
    .union([z.number().int().min(1).max(4096), z.array(z.number().int().min(1).max(4096)).min(1).max(8)])
    .default(50)
    .describe('cells of the recurrent layer (the size of its state), or a list for a stack: [64, 32]'),
  cell: z.enum(['lstm', 'gru']).default('lstm').describe('the recurrent cell'),
  dropout: z.number().min(0).lt(1).default(0).describe('dropout after each recurrent layer, while training'),
  activation: z.enum(['relu', 'tanh', 'linear']).default('relu').describe('activation of the cell output (Keras `activation`; the gates stay sigmoid)'),
  epochs: z.number().int().min(1).max(10000).default(50).describe('passes over the training windows, at most (early stopping may end sooner)'),
  batchSize: z.number().int().min(1).max(65536).default(32).describe('windows per gradient step'),
  learningRate: z.number().gt(0).max(10).default(0.001).describe("Adam's step size"),
  patience: z.number().int().min(0).default(5).describe('early stopping on validation loss; 0 turns it off'),
  validationSplit: z.number().min(0).lt(1).default(0.1).describe('fraction of the training windows (the latest) held out to validate each epoch'),
});

export const trainForecasterStage = defineStage({
  type: 'models-lstm.train',
  version: 3, // 2: sigmoid recurrent activation and unit forget bias, as Keras; 3: stacks, GRU, dropout, [n, k] targets
  description:
    'Trains a recurrent forecaster (LSTM + Dense(1) by default; stacks, GRU, dropout, k targets per window) on windows, with early stopping that keeps the best weights.',
  params,
  inputs: { x: port(WINDOWS), y: port(TARGETS) },
  outputs: { model: port(LAYERS_MODEL), history: port(TRAINING_HISTORY, { description: 'per-epoch loss and validation loss' }) },
  async run(inputs, p, ctx) {
    const x = inputs.x as tf.Tensor;
    const y = inputs.y as tf.Tensor;
    if (x.rank !== 3) throw new DataError(`${ctx.stageId}.inputs.x: expected windows of shape [samples, seqLength, features], got shape [${x.shape}]`);
    const model = buildLstmForecaster({
      seqLength: x.shape[1]!,
      features: x.shape[2]!,
      outputs: y.shape[1] ?? 1,
      units: p.units,
      cell: p.cell,
      dropout: p.dropout,
      activation: p.activation,
      learningRate: p.learningRate,
      seed: ctx.seed,
    });
    const history = await fitInStage(model, x, y, p, ctx);
    return { model, history };
  },
});
