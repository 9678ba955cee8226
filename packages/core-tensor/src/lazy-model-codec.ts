import type { Codec } from '@stagegraph/pipeline';
import { join } from 'node:path';
import { disposeModel } from './dispose-model.js';
import type * as tf from './tf.js';

/**
 * Models in the cache and in run folders: `<name>/model.json` and `<name>/weights.bin`. The model
 * files' code (and TensorFlow.js with it) is loaded by the first save or load, so registering the
 * codec loads neither.
 */
export const modelCodec: Codec<tf.LayersModel> = {
  kind: 'model',
  save: async (model, dir, name) => (await import('./model-codec.js')).saveLayersModel(model, join(dir, name)),
  load: async (dir, name) => (await import('./model-codec.js')).loadLayersModel(join(dir, name)),
  dispose: disposeModel,
};
