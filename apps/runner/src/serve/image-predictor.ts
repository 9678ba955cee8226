import { disposeModel, imageModelInfo, loadLayersModel, type ImageModelInfo, type tf } from '@stagegraph/core-tensor';
import type { FileClassification } from '@stagegraph/contracts';
import { classifyImages } from '@stagegraph/models-cnn';
import { assertImageInput, imageToModelInput } from '@stagegraph/preprocess';
import { imagesToTensor } from '@stagegraph/preprocess/tensors';

/** An upload's class by name, its three likeliest classes and every probability by name. */
export interface ImagePrediction extends Omit<FileClassification, 'file'> {
  /** How the image became the model's input: MNIST's digit steps or a resize. */
  images: ImageModelInfo['images'];
  /** Digit models: the 28x28 image the model saw, row by row in [0, 1]: the draw page shows it beside the drawing. */
  input?: number[];
}

interface LoadedModel {
  model: tf.LayersModel;
  info: ImageModelInfo;
}

/**
 * Classifies uploaded images with the image models of run folders, through the same steps as
 * `stagegraph predict` (imageToModelInput: MNIST's steps for a digit model, else a resize to the
 * model's input). Keeps the few most recently used models loaded; the rest are disposed.
 */
export class ImagePredictor {
  private readonly models = new Map<string, Promise<LoadedModel>>();

  constructor(private readonly keep = 3) {}

  /** `modelPath` is the model's folder, already resolved inside the runs folder by the path guard. */
  async predict(modelPath: string, image: Uint8Array, name: string, maxPixels?: number): Promise<ImagePrediction> {
    const { model, info } = await this.loaded(modelPath);
    const input = await imageToModelInput(image, name, info, maxPixels);
    const images = imagesToTensor([input], info);
    try {
      const [{ file: _file, ...classified }] = await classifyImages(model, images, [name], modelPath);
      const seen = info.images === 'mnist-digits' && { input: Array.from(input, (v) => Math.round(v * 1000) / 1000) };
      return { ...classified, images: info.images, ...seen };
    } finally {
      images.dispose();
    }
  }

  /** The model's class names, input size and image steps (which page it gets: draw for digits, else upload). */
  async info(modelPath: string): Promise<ImageModelInfo> {
    return (await this.loaded(modelPath)).info;
  }

  private loaded(modelPath: string): Promise<LoadedModel> {
    let loaded = this.models.get(modelPath);
    if (loaded) {
      this.models.delete(modelPath); // re-inserted below: Map order is recency
    } else {
      loaded = loadImageModel(modelPath);
      loaded.catch(() => this.models.delete(modelPath));
    }
    this.models.set(modelPath, loaded);
    for (const [path, stale] of this.models) {
      if (this.models.size <= this.keep) break;
      this.models.delete(path);
      void stale.then(
        ({ model }) => disposeModel(model),
        () => {},
      );
    }
    return loaded;
  }

  async close(): Promise<void> {
    const models = [...this.models.values()];
    this.models.clear();
    for (const loaded of await Promise.allSettled(models))
      if (loaded.status === 'fulfilled') disposeModel(loaded.value.model);
  }
}

/** A model and what it takes; one no image can be made an input for is refused (and disposed) here. */
async function loadImageModel(modelPath: string): Promise<LoadedModel> {
  const model = await loadLayersModel(modelPath);
  try {
    const info = imageModelInfo(model, modelPath);
    assertImageInput(info, modelPath);
    return { model, info };
  } catch (error) {
    disposeModel(model);
    throw error;
  }
}
