import { LAYERS_MODEL, tensorPort } from '@stagegraph/core-tensor/ports';
import { defineStage, port } from '@stagegraph/pipeline';
import { FILE_PREDICTIONS, IMAGE_FILES, IMAGES } from '@stagegraph/contracts';
import { z } from 'zod';

export const classifyStage = defineStage({
  type: 'models-cnn.classify',
  version: 2,
  prefersThreads: true,
  description:
    "Predicts the class of each image read by preprocess.digit-images, by the model's class names, with its three likeliest classes and every probability by name.",
  params: z.strictObject({}),
  inputs: { model: port(LAYERS_MODEL), images: tensorPort(IMAGES), files: port(IMAGE_FILES) },
  outputs: { predictions: port(FILE_PREDICTIONS) },
  async run(inputs, _p, ctx) {
    const { classifyImages } = await import('../classify-images.js');
    const { files, errors } = inputs.files;
    const predictions = await classifyImages(inputs.model, inputs.images, files, `${ctx.stageId}.inputs.model`);
    return { predictions: { predictions, errors } };
  },
});
