import sharp from 'sharp';
import { DataError } from '@stagegraph/pipeline';
import { RASTER_FORMATS, rasterFormat } from './image-format.js';

/** Images larger than this many pixels are refused before decoding (a 30000x30000 header, say). */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** The size an image is resized to and the channels it is read with: a model's input. */
export interface ImageInputShape {
  height: number;
  width: number;
  /** 1 (grey) or 3 (RGB). */
  channels: 1 | 3;
}

export interface ImageHeader {
  width: number;
  height: number;
  /** The file stores colour channels (it may still hold only greys). */
  colour: boolean;
}

/**
 * An image file's size from its header, checked before anything is decoded: the raster format by its
 * first bytes, and the pixel count against `maxPixels` (a decompression bomb is refused unread).
 */
export async function readImageHeader(
  bytes: Uint8Array,
  file: string,
  maxPixels = MAX_IMAGE_PIXELS,
): Promise<ImageHeader> {
  if (bytes.length === 0) throw new DataError(`${file}: expected an image, got an empty file`);
  const sniffed = rasterFormat(bytes);
  if ('looksLike' in sniffed) throw new DataError(`${file}: expected ${RASTER_FORMATS}, got ${sniffed.looksLike}`);
  const meta = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch((error: Error) => unreadable(file, error));
  const { width = 0, height = 0 } = meta;
  if (width * height > maxPixels)
    throw new DataError(`${file}: expected ${RASTER_FORMATS} of at most ${maxPixels} pixels, got ${width} x ${height}`);
  if (width < 1 || height < 1) throw new DataError(`${file}: expected ${RASTER_FORMATS}, got one without a size`);
  return { width, height, colour: (meta.channels ?? 1) >= 3 && meta.space !== 'b-w' };
}

/**
 * An image file as a model's input: resized (stretched, as Keras' image_dataset_from_directory does)
 * to height x width, transparency flattened onto white, read as 1 or 3 channels, pixels in [0, 1],
 * row-major [height, width, channels].
 */
export async function decodeImageInput(
  bytes: Uint8Array,
  file: string,
  shape: ImageInputShape,
  maxPixels = MAX_IMAGE_PIXELS,
): Promise<Float32Array> {
  await readImageHeader(bytes, file, maxPixels);
  let image = sharp(bytes, { limitInputPixels: maxPixels })
    .flatten({ background: '#ffffff' })
    .resize(shape.width, shape.height, { fit: 'fill' });
  image = shape.channels === 1 ? image.greyscale() : image.toColourspace('srgb');
  const { data, info } = await image
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: Error) => unreadable(file, error));
  // sharp may hand back more channels than asked (grey as 3 equal ones): keep the first `channels`
  const out = new Float32Array(shape.height * shape.width * shape.channels);
  for (let i = 0, p = 0; p < out.length; i += info.channels)
    for (let c = 0; c < shape.channels; c++) out[p++] = data[i + c] / 255;
  return out;
}

function unreadable(file: string, error: Error): never {
  throw new DataError(`${file}: expected ${RASTER_FORMATS}, got something sharp cannot read (${error.message})`);
}
