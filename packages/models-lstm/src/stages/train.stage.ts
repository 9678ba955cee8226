import { fitInStage, LAYERS_MODEL, tf } from '@stagegraph/core-tensor';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { TARGETS, TRAINING_HISTORY, WINDOWS } from '@stagegraph/contracts';
import { z } from 'zod';
import { buildLstmForecaster } from '../build-forecaster.js';
import { recurrentParamShape } from '../recurrent-params.js';

const params = z.strictObject(recurrentParamShape);

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
