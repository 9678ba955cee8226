import { tf } from '@stagegraph/core-tensor';

/** Prepared 28x28 images as one [n, 28, 28, 1] tensor. */
export function digitImagesToTensor(pixels: Float32Array[]): tf.Tensor4D {
  return imagesToTensor(pixels, { height: 28, width: 28, channels: 1 });
}

/** Prepared images, [height, width, channels] each, as one [n, height, width, channels] tensor. */
export function imagesToTensor(
  pixels: Float32Array[],
  shape: { height: number; width: number; channels: number },
): tf.Tensor4D {
  const each = shape.height * shape.width * shape.channels;
  const flat = new Float32Array(pixels.length * each);
  pixels.forEach((image, i) => flat.set(image, i * each));
  return tf.tensor4d(flat, [pixels.length, shape.height, shape.width, shape.channels]);
}
