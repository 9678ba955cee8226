import { LAYERS_MODEL, tensorPort } from '@stagegraph/core-tensor/ports';
import type { tf } from '@stagegraph/core-tensor';
import { defineStage, port } from '@stagegraph/pipeline';
import { CLASS_PROBABILITIES, IMAGES, TIMING } from '@stagegraph/contracts';
import { z } from 'zod';

export const predictClassesStage = defineStage({
  type: 'models-cnn.predict',
  version: 2,
  prefersThreads: true,
  description: 'Class probabilities for a batch of images from a trained classifier.',
  params: z.strictObject({
    batchSize: z.number().int().min(1).default(256).describe('samples per prediction batch (memory, not results)'),
  }),
  inputs: { model: port(LAYERS_MODEL), x: tensorPort(IMAGES) },
  outputs: {
    probabilities: tensorPort(CLASS_PROBABILITIES),
    timing: port(TIMING, { description: 'seconds the prediction took, and samples' }),
  },
  async run(inputs, p) {
    const { model, x } = inputs;
    const started = performance.now();
    const probabilities = model.predict(x, { batchSize: p.batchSize }) as tf.Tensor; // one input, one output tensor
    await probabilities.data(); // a backend may compute lazily: time until the values exist
    return { probabilities, timing: { seconds: (performance.now() - started) / 1000, samples: x.shape[0] } };
  },
});
