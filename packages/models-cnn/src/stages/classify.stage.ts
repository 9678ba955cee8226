import type { tf } from '@stagegraph/core-tensor';
import { defineStage } from '@stagegraph/pipeline';
import { z } from 'zod';

export interface FileClassification {
  file: string;
  digit: number;
  probabilities: number[];
}

/** The class and class probabilities of each image, named by its file. */
export async function classifyImages(model: tf.LayersModel, images: tf.Tensor, files: string[]): Promise<FileClassification[]> {
  const output = model.predict(images, { batchSize: 256 }) as tf.Tensor;
  const values = (await output.array()) as number[][];
  output.dispose();
  return values.map((probabilities, i) => ({ file: files[i], digit: probabilities.indexOf(Math.max(...probabilities)), probabilities }));
}

export const classifyStage = defineStage({
  type: 'models-cnn.classify',
  version: 1,
  description: 'Predicts the class of each image read by preprocess.digit-images, with its probabilities.',
  params: z.strictObject({}),
  inputs: { model: { kind: 'model' }, images: { kind: 'tensor' }, files: { kind: 'json', description: '{files, errors}' } },
  outputs: { predictions: { kind: 'metrics', description: '{predictions: [{file, digit, probabilities}], errors}' } },
  async run(inputs) {
    const { files, errors } = inputs.files as { files: string[]; errors: unknown[] };
    return { predictions: { predictions: await classifyImages(inputs.model as tf.LayersModel, inputs.images as tf.Tensor, files), errors } };
  },
});
