import { defineContract, shapeOf, type Contract } from '@stagegraph/pipeline';

/**
 * What a tensor port needs of a value, read structurally so that this package (and metrics, viz
 * and plugins that import these contracts) needs no TensorFlow.js; a tensor from a second copy of
 * tfjs passes too, where `instanceof` would refuse it. A package with tfjs reads such a port as a
 * `tf.Tensor` (core-tensor's `tensorPort`).
 */
export interface TensorLike {
  readonly shape: number[];
  readonly rank: number;
  readonly dtype: string;
  data(): Promise<ArrayLike<number>>;
  dataSync(): ArrayLike<number>;
}

export function isTensorLike(value: unknown): value is TensorLike {
  const t = value as Partial<TensorLike> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    Array.isArray(t.shape) &&
    typeof t.rank === 'number' &&
    typeof t.dtype === 'string' &&
    typeof t.data === 'function'
  );
}

/** A tensor port's contract: its rank and dtype are checked on every value a stage emits. */
function tensorContract(name: string, rank: number, dtype = 'float32'): Contract<TensorLike> {
  return defineContract<TensorLike>({
    name,
    kind: 'tensor',
    check: (value) => {
      if (!isTensorLike(value)) return `expected a ${dtype} tensor of rank ${rank}, got ${shapeOf(value)}`;
      if (value.rank !== rank || value.dtype !== dtype)
        return `expected a ${dtype} tensor of rank ${rank}, got a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
      return undefined;
    },
  });
}

export const WINDOWS = tensorContract('window batch [n, steps, features]', 3);
export const TARGETS = tensorContract('target column [n, 1]', 2);
export const IMAGES = tensorContract('image batch [n, height, width, channels]', 4);
export const ONE_HOT_LABELS = tensorContract('one-hot label matrix [n, classes]', 2);
export const CLASS_PROBABILITIES = tensorContract('class-probability matrix [n, classes]', 2);

/** Index of the largest value in each row of a row-major [n, classes] matrix: the class of each one-hot label or probability row. */
export function argmaxRows(values: ArrayLike<number>, classes: number): Int32Array {
  const out = new Int32Array(values.length / classes);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (values[i * classes + k] > values[i * classes + best]) best = k;
    out[i] = best;
  }
  return out;
}
