import { imageModelInfo, type tf } from '@stagegraph/core-tensor';
import { classifiedAs, type FileClassification } from '@stagegraph/contracts';
import { DataError } from '@stagegraph/pipeline';

export type { FileClassification };

/**
 * Refuses a model that does not take images shaped like `images` and answer one probability per
 * class (a forecaster, say) with one line, instead of a tfjs shape error mid-prediction.
 */
export function assertImageClassifier(model: tf.LayersModel, images: tf.Tensor, modelName: string): void {
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  const wanted = images.shape.slice(1);
  const fits =
    model.inputs.length === 1 &&
    input.length === wanted.length + 1 &&
    wanted.every((size, i) => input[i + 1] === null || input[i + 1] === size);
  if (!fits || output.length !== 2) {
    const shape = (dims: (number | null)[]) => `[${dims.map((d) => d ?? 'n').join(', ')}]`;
    throw new DataError(
      `${modelName}: expected an image classifier taking ${shape([null, ...wanted])} images, got a model taking ${shape(input)} and answering ${shape(output)}`,
    );
  }
}

/**
 * Refuses a model whose weights are not all finite (its training diverged): it would answer NaN
 * probabilities for every image, and the argmax of NaNs a class that means nothing.
 */
export function assertFiniteWeights(model: tf.LayersModel, modelName: string): void {
  for (const weight of model.weights) {
    const tensor = weight.read();
    if (finiteData.has(tensor.dataId)) continue;
    const values = tensor.dataSync();
    const bad = values.findIndex((v: number) => !Number.isFinite(v));
    if (bad >= 0)
      throw new DataError(
        `${modelName}: its weights hold ${values[bad]} (in ${weight.originalName}): expected finite numbers; its training diverged, retrain it`,
      );
    finiteData.add(tensor.dataId);
    finiteWeightReads.count++;
  }
}

/**
 * Weight data already found finite: `serve` checks its model once, not on every upload (reading the
 * seed CNN's 3.3M weights back took ~70 ms, against ~1 ms to classify an image). tfjs tensors do
 * not change in place; new values (an optimizer step, a load) are new data, checked again.
 */
const finiteData = new WeakSet<object>();

/** How many weight tensors assertFiniteWeights has read back, so tests can tell a check was skipped. */
export const finiteWeightReads = { count: 0 };

/**
 * The class of each image by the model's class names (stored in model.json; "0".."k-1" for a model
 * saved without them), its three likeliest classes and every probability by name, named by its file.
 */
export async function classifyImages(
  model: tf.LayersModel,
  images: tf.Tensor,
  files: string[],
  modelName = 'model',
): Promise<FileClassification[]> {
  assertImageClassifier(model, images, modelName);
  assertFiniteWeights(model, modelName);
  const { classNames } = imageModelInfo(model, modelName);
  const output = model.predict(images, { batchSize: 256 }) as tf.Tensor;
  const values = (await output.array()) as number[][];
  output.dispose();
  return values.map((probabilities, i) => classifiedAs(files[i], probabilities, classNames));
}
