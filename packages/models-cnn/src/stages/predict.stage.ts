import { LAYERS_MODEL, type tf } from '@stagegraph/core-tensor';
import { defineStage, port } from '@stagegraph/pipeline';
import { CLASS_PROBABILITIES, IMAGES, TIMING } from '@stagegraph/contracts';
import { z } from 'zod';

export const predictClassesStage = defineStage({
  type: 'models-cnn.predict',
  version: 2,
  prefersThreads: true,
  description: 'Class probabilities for a batch of images from a trained classifier.',
  params: z.strictObject({ batchSize: z.number().int().min(1).default(256).describe('samples per prediction batch (memory, not results)') }),
  inputs: { model: port(LAYERS_MODEL), x: port(IMAGES) },
  outputs: { probabilities: port(CLASS_PROBABILITIES), timing: port(TIMING, { description: 'seconds the prediction took, and samples' }) },
  async run(inputs, p) {
    const x = inputs.x as tf.Tensor;
    const started = performance.now();
    const probabilities = (inputs.model as tf.LayersModel).predict(x, { batchSize: p.batchSize }) as tf.Tensor;
    await probabilities.data(); // a backend may compute lazily: time until the values exist
    return { probabilities, timing: { seconds: (performance.now() - started) / 1000, samples: x.shape[0] } };
  },
});
