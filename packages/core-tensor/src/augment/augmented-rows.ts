import { SeededRandom } from '@stagegraph/pipeline';
import * as tf from '../tf.js';
import { augmentImages } from './augment-images.js';
import { augments, type AugmentOptions } from './augment-options.js';

/** Augmentation as one training run draws it: the options and a generator of its own, seeded from the run's seed. */
export interface Augmentation {
  options: AugmentOptions;
  random: SeededRandom;
}

/**
 * The run's augmentation, or undefined when the options change nothing. Its generator is separate
 * from the shuffle's, so turning augmentation on keeps the epochs' row order.
 */
export function augmentation(options: AugmentOptions | undefined, seed: number, x: tf.Tensor) {
  if (!augments(options)) return undefined;
  if (x.rank !== 4)
    throw new Error(`augmentation needs images of shape [n, height, width, channels], got shape [${x.shape}]`);
  return { options, random: new SeededRandom((seed ^ 0x9e3779b9) >>> 0) } satisfies Augmentation;
}

/** Floats per chunk of augmented rows: bounds the intermediates of one chunk's transform and contrast (~16 MB each). */
const CHUNK_FLOATS = 4 * 1024 * 1024;

/**
 * x's rows in `order`: gathered as they are, or, with augmentation, gathered and augmented a chunk
 * at a time (so the transform's intermediates stay small) and joined.
 */
export function gatherRows(x: tf.Tensor, order: Int32Array, augment?: Augmentation): tf.Tensor {
  const gather = (rows: Int32Array) => tf.tidy(() => tf.gather(x, tf.tensor1d(rows, 'int32')));
  if (!augment) return gather(order);
  const perRow = x.size / x.shape[0];
  const chunkRows = Math.max(1, Math.floor(CHUNK_FLOATS / perRow));
  const chunks: tf.Tensor4D[] = [];
  try {
    for (let start = 0; start < order.length; start += chunkRows) {
      const rows = gather(order.subarray(start, start + chunkRows)) as tf.Tensor4D;
      chunks.push(augmentImages(rows, augment.options, augment.random));
      rows.dispose();
    }
    return chunks.length === 1 ? chunks.pop()! : tf.concat(chunks);
  } finally {
    tf.dispose(chunks);
  }
}
