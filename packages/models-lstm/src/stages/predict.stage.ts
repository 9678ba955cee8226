import { LAYERS_MODEL, tensorPort } from '@stagegraph/core-tensor/ports';
import type { tf } from '@stagegraph/core-tensor';
import { defineStage, port } from '@stagegraph/pipeline';
import { TARGETS, WINDOWS } from '@stagegraph/contracts';
import { z } from 'zod';

export const predictStage = defineStage({
  type: 'models-lstm.predict',
  version: 1,
  description: 'Runs a trained forecaster on windows: one prediction per window.',
  params: z.strictObject({
    batchSize: z.number().int().min(1).default(256).describe('samples per prediction batch (memory, not results)'),
  }),
  inputs: { model: port(LAYERS_MODEL), x: tensorPort(WINDOWS) },
  outputs: { predictions: tensorPort(TARGETS) },
  async run(inputs, p) {
    // one input, so one output tensor (predict's type also allows a list, for models of several outputs)
    return { predictions: inputs.model.predict(inputs.x, { batchSize: p.batchSize }) as tf.Tensor };
  },
});
