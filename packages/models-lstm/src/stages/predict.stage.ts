import { LAYERS_MODEL, type tf } from '@stagegraph/core-tensor';
import { defineStage, port } from '@stagegraph/pipeline';
import { TARGETS, WINDOWS } from '@stagegraph/contracts';
import { z } from 'zod';

export const predictStage = defineStage({
  type: 'models-lstm.predict',
  version: 1,
  description: 'Runs a trained forecaster on windows: one prediction per window.',
  params: z.strictObject({ batchSize: z.number().int().min(1).default(256).describe('samples per prediction batch (memory, not results)') }),
  inputs: { model: port(LAYERS_MODEL), x: port(WINDOWS) },
  outputs: { predictions: port(TARGETS) },
  async run(inputs, p) {
    const model = inputs.model as tf.LayersModel;
    return { predictions: model.predict(inputs.x as tf.Tensor, { batchSize: p.batchSize }) as tf.Tensor };
  },
});
