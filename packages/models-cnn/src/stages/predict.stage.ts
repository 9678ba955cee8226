import { LAYERS_MODEL, type tf } from '@stagegraph/core-tensor';
import { CLASS_PROBABILITIES, defineStage, IMAGES, port } from '@stagegraph/pipeline';
import { z } from 'zod';

export const predictClassesStage = defineStage({
  type: 'models-cnn.predict',
  version: 1,
  prefersThreads: true,
  description: 'Class probabilities for a batch of images from a trained classifier.',
  params: z.strictObject({ batchSize: z.number().int().min(1).default(256).describe('samples per prediction batch (memory, not results)') }),
  inputs: { model: port(LAYERS_MODEL), x: port(IMAGES) },
  outputs: { probabilities: port(CLASS_PROBABILITIES) },
  async run(inputs, p) {
    return { probabilities: (inputs.model as tf.LayersModel).predict(inputs.x as tf.Tensor, { batchSize: p.batchSize }) as tf.Tensor };
  },
});
