import type { SeededRandom } from '@stagegraph/pipeline';
import * as tf from '../tf.js';
import { affineTransforms, contrastFactors } from './affine-transforms.js';
import { geometric, type AugmentOptions } from './augment-options.js';

/**
 * A randomly augmented copy of a batch of images [n, height, width, channels] with pixels in [0, 1]:
 * one affine transform per image (bilinear, through the backend's Transform kernel), then contrast.
 * The random draws are made here from `random` and uploaded as small tensors; the pixels never leave
 * the backend (on wasm: its Transform, Mean, Sub, Mul, Add and ClipByValue kernels).
 */
export function augmentImages(images: tf.Tensor4D, options: AugmentOptions, random: SeededRandom): tf.Tensor4D {
  const [count, height, width] = images.shape;
  return tf.tidy(() => {
    let out = images;
    if (geometric(options)) {
      const transforms = tf.tensor2d(affineTransforms(count, height, width, options, random), [count, 8]);
      out = transformEach(out, transforms, options.fill ?? 'nearest');
    }
    const contrast = options.contrast ?? 0;
    if (contrast > 0) {
      // Keras' RandomContrast: (x - mean) * factor + mean, the mean per image and channel
      const factors = tf.tensor4d(contrastFactors(count, contrast, random), [count, 1, 1, 1]);
      const mean = tf.mean(out, [1, 2], true);
      out = tf.clipByValue(tf.add(tf.mul(tf.sub(out, mean), factors), mean), 0, 1) as tf.Tensor4D;
    }
    return out === images ? images.clone() : out;
  });
}

/**
 * tf.image.transform with one transform per image. The cpu backend's Transform kernel (tfjs 4.22)
 * returns after the first image of a batch, leaving the others filled with 0: there each image
 * goes through it on its own. wasm, webgl and native TensorFlow take the whole batch in one call.
 */
function transformEach(images: tf.Tensor4D, transforms: tf.Tensor2D, fill: NonNullable<AugmentOptions['fill']>) {
  const one = (image: tf.Tensor4D, transform: tf.Tensor2D) => tf.image.transform(image, transform, 'bilinear', fill, 0);
  if (tf.getBackend() !== 'cpu' || images.shape[0] === 1) return one(images, transforms);
  const count = images.shape[0];
  const parts = tf.split(images, count).map((image, i) => one(image as tf.Tensor4D, transforms.slice(i, 1)));
  return tf.concat(parts);
}
