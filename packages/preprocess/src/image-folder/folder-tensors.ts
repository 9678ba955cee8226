import { tf } from '@stagegraph/core-tensor';
import type { ImageInputShape } from '../image-input.js';

/** Some rows of the decoded images as an image batch [n, height, width, channels] and one-hot labels [n, classes]. */
export function rowsToTensors(
  pixels: Float32Array[],
  labels: number[],
  rows: number[],
  shape: ImageInputShape,
  classCount: number,
): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const size = shape.height * shape.width * shape.channels;
  const batch = new Float32Array(rows.length * size);
  rows.forEach((row, i) => batch.set(pixels[row], i * size));
  return tf.tidy(() => ({
    x: tf.tensor4d(batch, [rows.length, shape.height, shape.width, shape.channels]),
    y: tf
      .oneHot(
        tf.tensor1d(
          rows.map((row) => labels[row]),
          'int32',
        ),
        classCount,
      )
      .toFloat() as tf.Tensor2D,
  }));
}
