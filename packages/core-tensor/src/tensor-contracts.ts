import { defineContract, type Contract } from '@stagegraph/pipeline';
import * as tf from './tf.js';

/** A tensor port's contract: its rank and dtype are checked on every value a stage emits. */
function tensorContract(name: string, rank: number, dtype: tf.DataType = 'float32'): Contract {
  return defineContract({
    name,
    kind: 'tensor',
    check: (value) => {
      if (!(value instanceof tf.Tensor)) return `expected a ${dtype} tensor of rank ${rank}, got ${value === null ? 'null' : typeof value}`;
      if (value.rank !== rank || value.dtype !== dtype) return `expected a ${dtype} tensor of rank ${rank}, got a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
      return undefined;
    },
  });
}

export const WINDOWS = tensorContract('window batch [n, steps, features]', 3);
export const TARGETS = tensorContract('target column [n, 1]', 2);
export const IMAGES = tensorContract('image batch [n, height, width, channels]', 4);
export const ONE_HOT_LABELS = tensorContract('one-hot label matrix [n, classes]', 2);
export const CLASS_PROBABILITIES = tensorContract('class-probability matrix [n, classes]', 2);

export const LAYERS_MODEL = defineContract({
  name: 'model',
  kind: 'model',
  check: (value) => (value instanceof tf.LayersModel ? undefined : `expected a tfjs layers model, got ${value === null ? 'null' : typeof value}`),
});
