import { defineContract } from '@stagegraph/pipeline';
import * as tf from './tf.js';

// Tensor contracts live in @stagegraph/pipeline (read structurally, no tfjs); a model is only ever
// made and read by code that has tfjs, so its contract checks the real class.
export const LAYERS_MODEL = defineContract({
  name: 'model',
  kind: 'model',
  check: (value) => (value instanceof tf.LayersModel ? undefined : `expected a tfjs layers model, got ${value === null ? 'null' : typeof value}`),
});
