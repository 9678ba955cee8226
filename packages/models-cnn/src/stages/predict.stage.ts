import type { tf } from '@stagegraph/core-tensor';
import { defineStage } from '@stagegraph/pipeline';
import { z } from 'zod';

export const predictClassesStage = defineStage({
  type: 'models-cnn.predict',
  version: 1,
  description: 'Class probabilities for a batch of images from a trained classifier.',
  params: z.strictObject({ batchSize: z.number().int().min(1).default(256).describe('samples per prediction batch (memory, not results)') }),
  inputs: { model: { kind: 'model' }, x: { kind: 'tensor' } },
  outputs: { probabilities: { kind: 'tensor', description: '[n, classes]' } },
  async run(inputs, p) {
    return { probabilities: (inputs.model as tf.LayersModel).predict(inputs.x as tf.Tensor, { batchSize: p.batchSize }) as tf.Tensor };
  },
});
