import { tf } from '@stagegraph/core-tensor';
import { projectPca, type PcaState } from './pca.js';

/** Samples as rows of numbers: the PCA features when fitted, else the flattened pixels. */
export function featureRows(x: tf.Tensor, pca: PcaState | undefined): number[][] {
  const flat = tf.tidy(() => x.reshape([x.shape[0], -1]) as tf.Tensor2D);
  try {
    return pca ? projectPca(pca, flat) : (flat.arraySync() as number[][]);
  } finally {
    flat.dispose();
  }
}
