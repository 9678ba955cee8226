import { isUserInputError, readDataFile } from '@stagegraph/pipeline';
import type { ImageFiles } from '@stagegraph/contracts';
import { decodeImageInput, readImageHeader, type ImageHeader, type ImageInputShape } from '../image-input.js';
import type { FolderImage } from './list-class-folders.js';
import { mapConcurrent } from './map-concurrent.js';

export interface ReadOptions {
  /** [height, width]; without it, the first image's size (scaled down to fit DEFAULT_MAX_SIDE). */
  size?: [number, number];
  /** Without it, 3 when any image has colour, else 1. */
  channels?: 1 | 3;
  invalid: 'error' | 'skip';
  maxPixels: number;
  concurrency: number;
  /** Called before each file: throws when the run is cancelled. */
  checkCancelled?: () => void;
}

/** The images that were read, in listing order, each as [height, width, channels] pixels in [0, 1]. */
export interface FolderPixels {
  images: FolderImage[];
  pixels: Float32Array[];
  shape: ImageInputShape;
  /** How many had another size than `shape` and were resized. */
  resized: number;
  /** Without params.size: the first image's [height, width] where it was larger than DEFAULT_MAX_SIDE. */
  scaledFrom?: [number, number];
  /** Unreadable files passed over with invalid: "skip", each with its one-line reason. */
  skipped: ImageFiles['errors'];
  decodeSeconds: number;
}

/**
 * Two passes over the files, each `concurrency` at a time: headers first (every size is checked
 * against maxPixels before anything is decoded, and they decide the default size and channels),
 * then decoding through the one image decoder (image-input). An unreadable file throws its
 * one-line DataError, or is passed over and listed with invalid: "skip".
 */
export async function readFolderImages(images: FolderImage[], options: ReadOptions): Promise<FolderPixels> {
  const skipped: ImageFiles['errors'] = [];
  const guarded = async <T>(image: FolderImage, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (options.invalid === 'error' || !isUserInputError(error)) throw error;
      skipped.push({ file: image.name, error: (error as Error).message });
      return undefined;
    }
  };
  const bytesOf = (image: FolderImage) => readDataFile(image.path, 'a readable image file', image.name);
  const headers = await mapConcurrent(
    images,
    options.concurrency,
    (image) => guarded(image, async () => readImageHeader(await bytesOf(image), image.name, options.maxPixels)),
    options.checkCancelled,
  );
  const readable = images.flatMap((image, i) => (headers[i] ? [{ image, header: headers[i] }] : []));
  if (readable.length === 0)
    return {
      images: [],
      pixels: [],
      shape: { height: 0, width: 0, channels: 1 },
      resized: 0,
      skipped,
      decodeSeconds: 0,
    };
  const shape = inputShape(
    readable.map((r) => r.header),
    options,
  );
  const first = readable[0].header;
  const started = performance.now();
  const decoded = await mapConcurrent(
    readable,
    options.concurrency,
    ({ image }) =>
      guarded(image, async () => decodeImageInput(await bytesOf(image), image.name, shape, options.maxPixels)),
    options.checkCancelled,
  );
  const decodeSeconds = (performance.now() - started) / 1000;
  const kept = readable.flatMap((r, i) => (decoded[i] ? [{ ...r, pixels: decoded[i] }] : []));
  return {
    images: kept.map((k) => k.image),
    pixels: kept.map((k) => k.pixels),
    shape,
    resized: kept.filter((k) => k.header.height !== shape.height || k.header.width !== shape.width).length,
    ...(!options.size &&
      (first.height !== shape.height || first.width !== shape.width) && { scaledFrom: [first.height, first.width] }),
    skipped,
    decodeSeconds,
  };
}

/** The default size's longest side: a photo's own size would give a network too large to train. */
export const DEFAULT_MAX_SIDE = 256;

function inputShape(headers: ImageHeader[], options: ReadOptions): ImageInputShape {
  const [height, width] = options.size ?? fitWithin(headers[0].height, headers[0].width, DEFAULT_MAX_SIDE);
  return { height, width, channels: options.channels ?? (headers.some((h) => h.colour) ? 3 : 1) };
}

/** height x width scaled down, keeping its aspect ratio, so that neither side exceeds `side`. */
function fitWithin(height: number, width: number, side: number): [number, number] {
  const scale = Math.min(1, side / Math.max(height, width));
  return [Math.max(1, Math.round(height * scale)), Math.max(1, Math.round(width * scale))];
}
