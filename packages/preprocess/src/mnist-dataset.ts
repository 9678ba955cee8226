import { tf } from '@stagegraph/core-tensor';
import { DataError, readDataFile } from '@stagegraph/pipeline';
import { parseIdx } from './idx-file.js';
import type { MnistFileKey } from './mnist-files.js';

export interface ImageSplit {
  /** [n, 28, 28, 1], pixels scaled to [0, 1]. */
  images: tf.Tensor4D;
  /** [n, 10], one-hot. */
  labels: tf.Tensor2D;
}

/** Reads one images/labels pair, checking sizes and that both hold the same number of items. */
export async function readImageSplit(
  imagesFile: string,
  labelsFile: string,
  limit?: number,
  imageSize = 28,
  classes = 10,
): Promise<ImageSplit> {
  const images = parseIdx(await readDataFile(imagesFile, 'an IDX image file'), imagesFile, 3);
  const labels = parseIdx(await readDataFile(labelsFile, 'an IDX label file'), labelsFile, 1);
  const [count, height, width] = images.dims;
  if (height !== imageSize || width !== imageSize)
    throw new DataError(`${imagesFile}: expected ${imageSize}x${imageSize} images, got ${height}x${width}`);
  if (labels.dims[0] !== count)
    throw new DataError(
      `${labelsFile}: expected ${count} labels (one per image in ${imagesFile}), got ${labels.dims[0]}`,
    );
  const bad = labels.data.findIndex((label) => label >= classes);
  if (bad >= 0) throw new DataError(`${labelsFile}: label ${bad}: expected 0..${classes - 1}, got ${labels.data[bad]}`);
  const n = Math.min(count, limit ?? count);
  // Pixels to [0, 1] here, not as int32 -> float -> div tensors: those are three full copies at
  // once (on wasm the heap keeps that high-water mark for the rest of the run).
  const pixels = new Float32Array(n * imageSize * imageSize);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return tf.tidy(() => ({
    images: tf.tensor4d(pixels, [n, imageSize, imageSize, 1]),
    labels: tf.oneHot(tf.tensor1d(labels.data.subarray(0, n), 'int32'), classes).toFloat() as tf.Tensor2D,
  }));
}

export async function readMnist(
  files: Record<MnistFileKey, string>,
  limits: { train?: number; test?: number } = {},
): Promise<{ train: ImageSplit; test: ImageSplit }> {
  const train = await readImageSplit(files.trainImages, files.trainLabels, limits.train);
  try {
    return { train, test: await readImageSplit(files.testImages, files.testLabels, limits.test) };
  } catch (error) {
    tf.dispose([train.images, train.labels]);
    throw error;
  }
}
