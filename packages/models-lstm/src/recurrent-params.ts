import { z } from 'zod';

/**
 * The params of a recurrent forecaster and its training, one definition for every stage that trains
 * one (models-lstm.train, and the lstm model of forecast.backtest): spread into their schemas.
 */
export const recurrentParamShape = {
  units: z
    .union([z.number().int().min(1).max(4096), z.array(z.number().int().min(1).max(4096)).min(1).max(8)])
    .default(50)
    .describe('cells of the recurrent layer (the size of its state), or a list for a stack: [64, 32]'),
  cell: z.enum(['lstm', 'gru']).default('lstm').describe('the recurrent cell'),
  dropout: z.number().min(0).lt(1).default(0).describe('dropout after each recurrent layer, while training'),
  activation: z
    .enum(['relu', 'tanh', 'linear'])
    .default('relu')
    .describe('activation of the cell output (Keras `activation`; the gates stay sigmoid)'),
  epochs: z
    .number()
    .int()
    .min(1)
    .max(10000)
    .default(50)
    .describe('passes over the training windows, at most (early stopping may end sooner)'),
  batchSize: z.number().int().min(1).max(65536).default(32).describe('windows per gradient step'),
  learningRate: z.number().gt(0).max(10).default(0.001).describe("Adam's step size"),
  patience: z.number().int().min(0).default(5).describe('early stopping on validation loss; 0 turns it off'),
  validationSplit: z
    .number()
    .min(0)
    .lt(1)
    .default(0.1)
    .describe('fraction of the training windows (the latest) held out to validate each epoch'),
};

/** The params as a stage's `run` gets them (defaults filled). */
export type RecurrentParams = z.output<z.ZodObject<typeof recurrentParamShape>>;
