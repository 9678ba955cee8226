import sharp from 'sharp';
import { DataError } from '@stagegraph/pipeline';
import { decodeBmp, readBmpHeader } from './bmp-image.js';
import { RASTER_FORMATS, rasterFormat } from './image-format.js';
import { readPngHeader } from './png-header.js';

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

/** An image whose header has been checked, and a way to start sharp pipelines on its pixels. */
export interface OpenedImage {
  header: ImageHeader;
  /** A new sharp pipeline on the image each call (BMP files are decoded once, by bmp-ts). */
  pixels: () => sharp.Sharp;
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
  const header =
    sniffed.format === 'BMP' || sniffed.format === 'PNG'
      ? ((sniffed.format === 'BMP' ? readBmpHeader(bytes) : readPngHeader(bytes)) ??
        unreadable(file, new Error('its header is cut short')))
      : await sharpHeader(bytes, file);
  const { width, height } = header;
  if (width * height > maxPixels)
    throw new DataError(`${file}: expected ${RASTER_FORMATS} of at most ${maxPixels} pixels, got ${width} x ${height}`);
  if (width < 1 || height < 1) throw new DataError(`${file}: expected ${RASTER_FORMATS}, got one without a size`);
  return header;
}

async function sharpHeader(bytes: Uint8Array, file: string): Promise<ImageHeader> {
  // metadata() reads the header only: nothing is decoded yet
  const meta = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch((error: Error) => unreadable(file, error));
  const { width = 0, height = 0 } = meta;
  return { width, height, colour: (meta.channels ?? 1) >= 3 && meta.space !== 'b-w' };
}

/**
 * The one way an image file is opened, for every path (data stages, predict, serve): the header
 * checked by readImageHeader, then the pixels handed to sharp (BMP decoded by bmp-ts first, as sharp
 * has no BMP loader).
 */
export async function openImage(bytes: Uint8Array, file: string, maxPixels = MAX_IMAGE_PIXELS): Promise<OpenedImage> {
  const header = await readImageHeader(bytes, file, maxPixels);
  const sniffed = rasterFormat(bytes);
  if (!('format' in sniffed) || sniffed.format !== 'BMP')
    return { header, pixels: () => sharp(bytes, { limitInputPixels: maxPixels }) };
  let raw: ReturnType<typeof decodeBmp>;
  try {
    raw = decodeBmp(bytes);
  } catch (error) {
    unreadable(file, error as Error, 'bmp-ts');
  }
  const { data, width, height, channels } = raw;
  return { header, pixels: () => sharp(data, { raw: { width, height, channels } }) };
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
  let image = (await openImage(bytes, file, maxPixels))
    .pixels()
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

function unreadable(file: string, error: Error, decoder = 'sharp'): never {
  throw new DataError(
    `${file}: expected ${RASTER_FORMATS}, got something ${decoder} cannot read (${oneLine(error.message)})`,
  );
}

// libvips messages can run over several lines; an error here is one line
const oneLine = (message: string) => message.replace(/\s+/g, ' ').trim();
