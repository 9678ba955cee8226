import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { SeededRandom } from '@stagegraph/pipeline';
import { encodeBmp24 } from '../bmp-image.js';

export const SHAPE_CLASSES = ['circle', 'square', 'triangle'] as const;
type Shape = (typeof SHAPE_CLASSES)[number];
type Format = 'png' | 'jpg' | 'bmp';

export interface ShapeImageOptions {
  /** Images per class. */
  perClass: number;
  /** Side of most images, in pixels; every fourth is 1.5 times as large (so a folder has mixed sizes). */
  size: number;
  seed?: number;
  /** Cycled through per image. */
  formats?: Format[];
}

/**
 * A sample image folder: dir/circle, dir/square and dir/triangle, each with `perClass` images of one
 * coloured shape (random colour, size and place) on a light background of another colour, as PNG,
 * JPEG and BMP files. For `stagegraph init --template images`, tests and benchmarks. Returns the files.
 */
export async function writeShapeImages(dir: string, options: ShapeImageOptions): Promise<string[]> {
  const random = new SeededRandom(options.seed ?? 1);
  const formats = options.formats ?? ['png', 'jpg', 'bmp'];
  const files: string[] = [];
  for (const shape of SHAPE_CLASSES) {
    await mkdir(join(dir, shape), { recursive: true });
    for (let i = 0; i < options.perClass; i++) {
      const side = i % 4 === 3 ? Math.round(options.size * 1.5) : options.size;
      const format = formats[i % formats.length];
      const file = join(dir, shape, `${shape}-${String(i).padStart(3, '0')}.${format}`);
      await writeFile(file, await encode(drawShape(shape, side, random), side, format));
      files.push(file);
    }
  }
  return files;
}

/** RGB pixels of one shape; its size and place are drawn so that it stays inside the image. */
function drawShape(shape: Shape, side: number, random: SeededRandom): Uint8Array {
  const r = side * (0.22 + 0.15 * random.next());
  const [cx, cy] = [r + random.next() * (side - 2 * r), r + random.next() * (side - 2 * r)];
  const ink = [random.nextInt(200), random.nextInt(200), random.nextInt(200)];
  const paper = [200 + random.nextInt(56), 200 + random.nextInt(56), 200 + random.nextInt(56)];
  const inside = {
    circle: (x: number, y: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r,
    square: (x: number, y: number) => Math.abs(x - cx) <= 0.8 * r && Math.abs(y - cy) <= 0.8 * r,
    triangle: (x: number, y: number) => y <= cy + 0.8 * r && Math.abs(x - cx) <= 0.55 * (y - (cy - r)),
  }[shape];
  const rgb = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) rgb.set(inside(x + 0.5, y + 0.5) ? ink : paper, (y * side + x) * 3);
  return rgb;
}

async function encode(rgb: Uint8Array, side: number, format: Format): Promise<Buffer> {
  if (format === 'bmp') return encodeBmp24(rgb, side, side);
  const image = sharp(rgb, { raw: { width: side, height: side, channels: 3 } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 90 }).toBuffer();
}
