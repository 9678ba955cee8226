import { DataError } from '@stagegraph/pipeline';
import { digitImageToMnist } from './digit-image.js';
import { decodeImageInput } from './image-input.js';

/**
 * What an image classifier takes (core-tensor's imageModelInfo reads it from the model): its input
 * size and channels, and how an image file becomes such an input: MNIST's digit steps or a resize.
 */
export interface ModelImageInput {
  images: 'mnist-digits' | 'resized';
  height: number;
  width: number;
  channels: number;
}

/**
 * Refuses, before any file is read, a model no image file can be made into an input for: digit
 * steps make 28x28x1, and a decoded image has 1 (grey) or 3 (RGB) channels.
 */
export function assertImageInput(input: ModelImageInput, modelName: string): void {
  const shape = `${input.height}x${input.width}x${input.channels}`;
  if (input.images === 'mnist-digits' && shape !== '28x28x1')
    throw new DataError(`${modelName}: expected a 28x28x1 input for MNIST digit images, got ${shape}`);
  if (input.channels !== 1 && input.channels !== 3)
    throw new DataError(`${modelName}: expected an input of 1 (grey) or 3 (RGB) channels, got ${shape}`);
}

/**
 * An image file as the model's input, [height, width, channels] in [0, 1]: the one path that
 * `stagegraph predict` and the web app's uploads share (MNIST's steps for a digit model, else
 * decodeImageInput's resize to the model's size and channels).
 */
export function imageToModelInput(
  bytes: Uint8Array,
  file: string,
  input: ModelImageInput,
  maxPixels?: number,
): Promise<Float32Array> {
  if (input.images === 'mnist-digits') return digitImageToMnist(bytes, file, { maxPixels });
  const { height, width, channels } = input;
  return decodeImageInput(bytes, file, { height, width, channels: channels as 1 | 3 }, maxPixels);
}
