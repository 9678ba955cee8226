import { tf } from '@stagegraph/core-tensor';

/** Prepared 28x28 images as one [n, 28, 28, 1] tensor. */
export function digitImagesToTensor(pixels: Float32Array[]): tf.Tensor4D {
  const flat = new Float32Array(pixels.length * 784);
  pixels.forEach((image, i) => flat.set(image, i * 784));
  return tf.tensor4d(flat, [pixels.length, 28, 28, 1]);
}
