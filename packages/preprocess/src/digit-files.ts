import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageFiles } from '@stagegraph/contracts';
import { isUserInputError, readDataFile } from '@stagegraph/pipeline';
import { imageToModelInput, type ModelImageInput } from './model-image-input.js';

const IMAGE_FILE = /\.(png|jpe?g|webp|gif|tiff?|bmp)$/i;

/** The files read, in order, and those that could not be used, each with its one-line reason (IMAGE_FILES), with the read files' pixels in [0, 1] (a model's input each). */
export interface ModelImages extends ImageFiles {
  pixels: Float32Array[];
}
/** Digit images: 28x28 each. */
export type DigitImages = ModelImages;

const MNIST_INPUT: ModelImageInput = { images: 'mnist-digits', height: 28, width: 28, channels: 1 };

/**
 * Expands folders into the image files they hold, in nested folders too (a folder laid out by class,
 * as training reads it), sorted by path; files stay as given. Dot-names and links to folders (which
 * may loop) are passed over.
 */
export async function expandImagePaths(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) out.push(...(await imagesUnder(path)));
    else out.push(path);
  }
  return out;
}

async function imagesUnder(folder: string): Promise<string[]> {
  const entries = (await readdir(folder, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await imagesUnder(path)));
    else if (IMAGE_FILE.test(entry.name)) found.push(path);
  }
  return found;
}

/** Reads and prepares every file as MNIST's digits; a bad file becomes an error entry and the others go on. */
export function readDigitImages(files: string[]): Promise<DigitImages> {
  return readModelImages(files, MNIST_INPUT);
}

/** Reads every file as the model's input (imageToModelInput); a bad file becomes an error entry and the others go on. */
export async function readModelImages(files: string[], input: ModelImageInput): Promise<ModelImages> {
  const result: ModelImages = { files: [], pixels: [], errors: [] };
  for (const file of files) {
    try {
      const bytes = await readDataFile(file, 'a readable image file');
      result.pixels.push(await imageToModelInput(bytes, file, input));
      result.files.push(file);
    } catch (error) {
      if (!isUserInputError(error)) throw error;
      result.errors.push({ file, error: (error as Error).message });
    }
  }
  return result;
}
