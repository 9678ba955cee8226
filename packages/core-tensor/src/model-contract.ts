import { defineContract } from '@stagegraph/pipeline';
import type * as tf from './tf.js';
import { tfjs } from './tfjs-loaded.js';

// Tensor contracts live in @stagegraph/contracts (read structurally, no tfjs); a model is only ever
// made and read by code that has tfjs, so its contract checks the real class. Defining it loads no
// tfjs: a value to check exists only once tfjs does.
export const LAYERS_MODEL = defineContract<tf.LayersModel>({
  name: 'model',
  kind: 'model',
  check: (value) =>
    value instanceof tfjs().LayersModel
      ? undefined
      : `expected a tfjs layers model, got ${value === null ? 'null' : typeof value}`,
});
