import sharp from 'sharp';
import { DataError } from '@stagegraph/pipeline';
import { RASTER_FORMATS } from './image-format.js';
import { MAX_IMAGE_PIXELS, openImage } from './image-input.js';

/** Images larger than this on a side are shrunk to it before the steps below. */
const WORKING_SIDE = 512;
/** Where MNIST digits have their centre of mass, with pixel centres at x + 0.5. */
const MNIST_CENTRE = 14.5;

/**
 * An image file as MNIST-style input, the way MNIST itself was made: greyscale (on a transparent
 * page the alpha channel is the ink; otherwise transparency counts as white paper), dark ink on
 * light paper inverted to light on dark, cropped to the ink, scaled (anti-aliased) to fit 20x20
 * keeping the aspect ratio, and placed in 28x28 with its centre of mass where MNIST has it.
 * Returns 784 values in [0, 1].
 */
export async function digitImageToMnist(
  bytes: Uint8Array,
  file: string,
  { maxPixels = MAX_IMAGE_PIXELS } = {},
): Promise<Float32Array> {
  const grey = await readGreyImage(bytes, file, maxPixels);
  const { pixels, width, height } = grey;
  // Paper is what the border mostly is: light paper means dark ink, which MNIST stores inverted.
  if (borderMean(grey) > 127) for (let i = 0; i < pixels.length; i++) pixels[i] = 255 - pixels[i];
  let brightest = 0;
  for (const v of pixels) brightest = Math.max(brightest, v);
  const threshold = 0.2 * brightest;
  let [top, bottom, left, right] = [height, -1, width, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x] > threshold && threshold > 0) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  if (bottom < 0) throw new DataError(`${file}: expected a digit, got an image with no ink`);
  const cropWidth = right - left + 1;
  const cropHeight = bottom - top + 1;
  const scale = 20 / Math.max(cropWidth, cropHeight);
  const fitWidth = Math.max(1, Math.round(cropWidth * scale));
  const fitHeight = Math.max(1, Math.round(cropHeight * scale));
  const cropped = Buffer.alloc(cropWidth * cropHeight);
  for (let y = 0; y < cropHeight; y++)
    for (let x = 0; x < cropWidth; x++) cropped[y * cropWidth + x] = pixels[(top + y) * width + left + x];
  const fitted = await sharp(cropped, { raw: { width: cropWidth, height: cropHeight, channels: 1 } })
    .resize(fitWidth, fitHeight, { kernel: 'lanczos3', fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  // sharp hands back sRGB (3 equal channels) after a resize: keep one
  const single = Uint8Array.from({ length: fitWidth * fitHeight }, (_, i) => fitted.data[i * fitted.info.channels]);
  return centreByMass(single, fitWidth, fitHeight);
}

/**
 * The image as one grey channel, at most WORKING_SIDE a side: large photos are shrunk by libvips
 * first, because the loops of digitImageToMnist run on the calling thread and a digit ends up
 * 20x20 anyway (a server answering pages while it decodes uploads must not spend seconds there).
 */
export async function readGreyImage(bytes: Uint8Array, file: string, maxPixels = MAX_IMAGE_PIXELS): Promise<GreyImage> {
  // the header alone says how large it is: a decompression bomb is refused before decoding (one decoder: image-input)
  const opened = await openImage(bytes, file, maxPixels);
  try {
    const image = () =>
      opened.pixels().resize({ width: WORKING_SIDE, height: WORKING_SIDE, fit: 'inside', withoutEnlargement: true });
    const { hasAlpha } = await opened.pixels().metadata();
    const alpha = hasAlpha ? await greyImage(image().extractChannel('alpha')) : undefined;
    // Strokes on a transparent page (a canvas export): the alpha channel is the ink, whatever its colour.
    return alpha && borderMean(alpha) < 128
      ? alpha
      : await greyImage(image().flatten({ background: '#ffffff' }).greyscale());
  } catch (error) {
    const reason = (error as Error).message.replace(/\s+/g, ' ').trim();
    throw new DataError(`${file}: expected ${RASTER_FORMATS}, got something sharp cannot read (${reason})`);
  }
}

interface GreyImage {
  pixels: Float32Array;
  width: number;
  height: number;
}

async function greyImage(image: sharp.Sharp): Promise<GreyImage> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  // greyscale() and extractChannel() can still hand back 3 equal channels: keep one
  return {
    pixels: Float32Array.from({ length: info.width * info.height }, (_, i) => data[i * info.channels]),
    width: info.width,
    height: info.height,
  };
}

function borderMean({ pixels, width, height }: GreyImage): number {
  let sum = 0;
  for (let x = 0; x < width; x++) sum += pixels[x] + pixels[(height - 1) * width + x];
  for (let y = 0; y < height; y++) sum += pixels[y * width] + pixels[y * width + width - 1];
  return sum / (2 * (width + height));
}

/**
 * Places a small image in 28x28 so that its centre of mass lands on the centre of pixel (14, 14),
 * where MNIST's digits have theirs (measured on the test set: 14.50, 14.49 with pixel centres at
 * x + 0.5). Aiming at the pixel corner (14.0) instead cost 1.3 points of accuracy on drawn digits.
 */
export function centreByMass(image: Uint8Array, width: number, height: number): Float32Array {
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = image[y * width + x];
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  const offsetX = Math.round(MNIST_CENTRE - (mass ? cx / mass : width / 2));
  const offsetY = Math.round(MNIST_CENTRE - (mass ? cy / mass : height / 2));
  const out = new Float32Array(28 * 28);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const tx = x + offsetX;
      const ty = y + offsetY;
      if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) out[ty * 28 + tx] = image[y * width + x] / 255;
    }
  }
  return out;
}
