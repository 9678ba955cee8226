import { disposeModel, loadLayersModel, tf } from '@stagegraph/core-tensor';
import { classifyImages } from '@stagegraph/models-cnn';
import { digitImageToMnist } from '@stagegraph/preprocess';
import { digitImagesToTensor } from '@stagegraph/preprocess/tensors';

export interface DigitPrediction {
  digit: number;
  probabilities: number[];
  /** The 28x28 image the model saw, row by row in [0, 1]: the app shows it beside the drawing. */
  input: number[];
}

/**
 * Predicts digits in uploaded images with the models of run folders, through the same steps as
 * `stagegraph predict`. Keeps the few most recently used models loaded; the rest are disposed.
 */
export class DigitPredictor {
  private readonly models = new Map<string, Promise<tf.LayersModel>>();

  constructor(private readonly keep = 3) {}

  /** `modelPath` is the model's folder, already resolved inside the runs folder by the path guard. */
  async predict(modelPath: string, image: Uint8Array, name: string, maxPixels?: number): Promise<DigitPrediction> {
    const input = await digitImageToMnist(image, name, { maxPixels });
    const model = await this.model(modelPath);
    const images = digitImagesToTensor([input]);
    try {
      const [{ digit, probabilities }] = await classifyImages(model, images, [name], modelPath);
      return { digit, probabilities, input: Array.from(input, (v) => Math.round(v * 1000) / 1000) };
    } finally {
      images.dispose();
    }
  }

  private model(modelPath: string): Promise<tf.LayersModel> {
    let model = this.models.get(modelPath);
    if (model) {
      this.models.delete(modelPath); // re-inserted below: Map order is recency
    } else {
      model = loadLayersModel(modelPath);
      model.catch(() => this.models.delete(modelPath));
    }
    this.models.set(modelPath, model);
    for (const [path, stale] of this.models) {
      if (this.models.size <= this.keep) break;
      this.models.delete(path);
      void stale.then(disposeModel, () => {});
    }
    return model;
  }

  async close(): Promise<void> {
    const models = [...this.models.values()];
    this.models.clear();
    for (const model of await Promise.allSettled(models)) if (model.status === 'fulfilled') disposeModel(model.value);
  }
}
