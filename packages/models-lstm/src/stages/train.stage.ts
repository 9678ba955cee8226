import { LAYERS_MODEL, tensorPort } from '@stagegraph/core-tensor/ports';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { TARGETS, TRAINING_HISTORY, WINDOWS } from '@stagegraph/contracts';
import { z } from 'zod';
import { recurrentParamShape } from '../recurrent-params.js';

const params = z.strictObject(recurrentParamShape);

export const trainForecasterStage = defineStage({
  type: 'models-lstm.train',
  version: 5, // 2: sigmoid recurrent activation and unit forget bias, as Keras; 3: stacks, GRU, dropout, [n, k] targets; 4: dropout draws a new mask every step; 5: a GRU trains in the fused GRU kernels (other float rounding)
  description:
    'Trains a recurrent forecaster (LSTM + Dense(1) by default; stacks, GRU, dropout, k targets per window) on windows, with early stopping that keeps the best weights.',
  params,
  inputs: { x: tensorPort(WINDOWS), y: tensorPort(TARGETS) },
  outputs: {
    model: port(LAYERS_MODEL),
    history: port(TRAINING_HISTORY, { description: 'per-epoch loss and validation loss' }),
  },
  async run(inputs, p, ctx) {
    const { x, y } = inputs;
    if (x.rank !== 3)
      throw new DataError(
        `${ctx.stageId}.inputs.x: expected windows of shape [samples, seqLength, features], got shape [${x.shape}]`,
      );
    // TensorFlow.js loads when a stage that trains runs
    const [{ fitInStage }, { buildLstmForecaster }] = await Promise.all([
      import('@stagegraph/core-tensor'),
      import('../build-forecaster.js'),
    ]);
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
