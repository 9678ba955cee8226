import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readModelImages } from './digit-files.js';
import { assertImageInput, imageToModelInput } from './model-image-input.js';

const plain = (background: string, width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

describe("an image file as a model's input, as the model says", () => {
  it("resizes to the model's size and channels: RGB keeps the colour, grey averages it", async () => {
    const red = await plain('#ff0000', 40, 30);
    const rgb = await imageToModelInput(red, 'red.png', { images: 'resized', height: 16, width: 8, channels: 3 });
    expect(rgb).toHaveLength(16 * 8 * 3);
    expect(Array.from(rgb.subarray(0, 3))).toEqual([1, 0, 0]);
    const grey = await imageToModelInput(red, 'red.png', { images: 'resized', height: 4, width: 4, channels: 1 });
    expect(grey).toHaveLength(16);
    expect(grey[0]).toBeGreaterThan(0.1); // red's luminance, neither black nor white
    expect(grey[0]).toBeLessThan(0.5);
  });

  it("takes MNIST's steps for a digit model: inverted, cropped to the ink, centred in 28x28", async () => {
    const ink = await sharp({ create: { width: 10, height: 40, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const page = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#fff' } })
      .composite([{ input: ink, left: 5, top: 10 }])
      .png()
      .toBuffer();
    const digit = await imageToModelInput(page, 'one.png', {
      images: 'mnist-digits',
      height: 28,
      width: 28,
      channels: 1,
    });
    expect(digit).toHaveLength(784);
    expect(digit[14 * 28 + 14]).toBeGreaterThan(0.5); // the stroke, light on dark, in the middle
    expect(digit[0]).toBe(0);
  });

  it('refuses a model no image can be made an input for, naming it', () => {
    expect(() => assertImageInput({ images: 'mnist-digits', height: 16, width: 16, channels: 3 }, 'm')).toThrow(
      'm: expected a 28x28x1 input for MNIST digit images, got 16x16x3',
    );
    expect(() => assertImageInput({ images: 'resized', height: 8, width: 8, channels: 4 }, 'm')).toThrow(
      'm: expected an input of 1 (grey) or 3 (RGB) channels, got 8x8x4',
    );
    expect(() => assertImageInput({ images: 'resized', height: 8, width: 8, channels: 3 }, 'm')).not.toThrow();
  });

  it('reads files in order; one that is no image is an error entry and the others go on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sg-model-images-'));
    try {
      await writeFile(join(dir, 'a.png'), await plain('#00ff00', 5, 5));
      await writeFile(join(dir, 'b.png'), 'not an image');
      const read = await readModelImages([join(dir, 'a.png'), join(dir, 'b.png')], {
        images: 'resized',
        height: 2,
        width: 2,
        channels: 3,
      });
      expect(read.files).toEqual([join(dir, 'a.png')]);
      expect(Array.from(read.pixels[0].subarray(0, 3))).toEqual([0, 1, 0]);
      expect(read.errors).toEqual([
        {
          file: join(dir, 'b.png'),
          error: `${join(dir, 'b.png')}: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something else`,
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
