import { describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { centreByMass, digitImageToMnist, readGreyImage } from './digit-image.js';

/** A w x h greyscale PNG, paper `paper`, with an ink rectangle [x0, x1) x [y0, y1) of value `ink`. */
async function rectanglePng(
  w: number,
  h: number,
  rect: [number, number, number, number],
  paper: number,
  ink: number,
): Promise<Buffer> {
  const [x0, y0, x1, y1] = rect;
  const raw = Buffer.alloc(w * h, paper);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) raw[y * w + x] = ink;
  return sharp(raw, { raw: { width: w, height: h, channels: 1 } })
    .png()
    .toBuffer();
}

function inkBox(pixels: Float32Array) {
  let [top, bottom, left, right, mass, cx, cy] = [28, -1, 28, -1, 0, 0, 0];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = pixels[y * 28 + x];
      if (v > 0.5)
        [top, bottom, left, right] = [Math.min(top, y), Math.max(bottom, y), Math.min(left, x), Math.max(right, x)];
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  return { height: bottom - top + 1, width: right - left + 1, cx: cx / mass, cy: cy / mass };
}

const crc32 = (bytes: Buffer) => {
  let c = ~0;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
};
/** A small real PNG whose header is rewritten to claim a huge size (a decompression bomb's shape). */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(
    await sharp(Buffer.alloc(100, 255), { raw: { width: 10, height: 10, channels: 1 } })
      .png()
      .toBuffer(),
  );
  png.writeUInt32BE(width, 16); // IHDR data starts after the signature (8), length (4) and type (4)
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

describe('digitImageToMnist', () => {
  it('fits dark ink on light paper into 20x20, inverted, centred by mass', async () => {
    // a tall 30x60 bar, off-centre in a 200x100 image
    const pixels = await digitImageToMnist(await rectanglePng(200, 100, [10, 20, 40, 80], 255, 0), 'bar.png');
    const box = inkBox(pixels);
    expect(box.height).toBe(20);
    expect(box.width).toBe(10);
    expect(Math.abs(box.cx - 14.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(box.cy - 14.5)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...pixels)).toBeCloseTo(1, 2);
  });

  it('gives the same result for light ink on dark paper and for a transparent background', async () => {
    const dark = await digitImageToMnist(await rectanglePng(64, 64, [5, 10, 25, 50], 0, 255), 'dark.png');
    const light = await digitImageToMnist(await rectanglePng(64, 64, [5, 10, 25, 50], 255, 0), 'light.png');
    const raw = Buffer.alloc(64 * 64 * 4); // RGBA: transparent everywhere, opaque black ink
    for (let y = 10; y < 50; y++) for (let x = 5; x < 25; x++) raw[(y * 64 + x) * 4 + 3] = 255;
    const alpha = await digitImageToMnist(
      await sharp(raw, { raw: { width: 64, height: 64, channels: 4 } })
        .png()
        .toBuffer(),
      'alpha.png',
    );
    expect(Array.from(dark)).toEqual(Array.from(light));
    expect(Array.from(alpha)).toEqual(Array.from(light));
  });

  it('reads white strokes on a transparent page (a canvas export) by their alpha', async () => {
    const raw = Buffer.alloc(64 * 64 * 4); // transparent everywhere, opaque white ink
    for (let y = 10; y < 50; y++) for (let x = 5; x < 25; x++) raw.fill(255, (y * 64 + x) * 4, (y * 64 + x) * 4 + 4);
    const white = await digitImageToMnist(
      await sharp(raw, { raw: { width: 64, height: 64, channels: 4 } })
        .png()
        .toBuffer(),
      'white.png',
    );
    const light = await digitImageToMnist(await rectanglePng(64, 64, [5, 10, 25, 50], 255, 0), 'light.png');
    expect(Array.from(white)).toEqual(Array.from(light));
  });

  it('shrinks a large photo before its own loops, to the same digit as a small one', async () => {
    // 4000 px a side would take seconds in the JS loops; libvips shrinks it to 512 first
    const largePng = await rectanglePng(4000, 4000, [1500, 1000, 2500, 3000], 255, 0);
    expect(await readGreyImage(largePng, 'large.png')).toMatchObject({ width: 512, height: 512 });
    const small = await digitImageToMnist(await rectanglePng(400, 400, [150, 100, 250, 300], 255, 0), 'small.png');
    const large = await digitImageToMnist(largePng, 'large.png');
    expect(inkBox(large)).toEqual({
      ...inkBox(small),
      cx: expect.closeTo(inkBox(small).cx, 2),
      cy: expect.closeTo(inkBox(small).cy, 2),
    });
    expect(Math.max(...large.map((v, i) => Math.abs(v - small[i])))).toBeLessThan(0.05);
  });

  it('refuses empty files, non-images, blank pages and huge images, one line each', async () => {
    await expect(digitImageToMnist(new Uint8Array(), 'e.png')).rejects.toThrow(
      'e.png: expected an image, got an empty file',
    );
    await expect(digitImageToMnist(Buffer.from('hello'), 't.png')).rejects.toThrow(
      't.png: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something else',
    );
    const cut = (await rectanglePng(30, 30, [5, 5, 20, 20], 255, 0)).subarray(0, 40);
    await expect(digitImageToMnist(cut, 'cut.png')).rejects.toThrow(
      /^cut\.png: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something sharp cannot read/,
    );
    // a vector image is refused by its first bytes: sharp would render it, for as long as it takes
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="28" height="28"><rect width="9" height="20"/></svg>',
    );
    await expect(digitImageToMnist(svg, 'five.svg')).rejects.toThrow(
      'five.svg: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got SVG (vector images are not read)',
    );
    await expect(digitImageToMnist(await rectanglePng(30, 30, [0, 0, 0, 0], 255, 0), 'blank.png')).rejects.toThrow(
      'blank.png: expected a digit, got an image with no ink',
    );
    await expect(digitImageToMnist(await pngClaiming(20000, 20000), 'huge.png')).rejects.toThrow(
      'huge.png: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image of at most 50000000 pixels, got 20000 x 20000',
    );
  });
});

describe('centreByMass', () => {
  it('puts the centre of mass on the centre of pixel (14, 14), where MNIST has it, on average over positions', () => {
    // two pixels whose centre of mass sweeps a whole pixel: integer shifts land it within 0.5 of
    // 14.5 each time, and on 14.5 on average (aiming at 14.0 averages 14.0, half a pixel off)
    let sum = 0;
    const steps = 20;
    for (let k = 0; k < steps; k++) {
      const weight = Math.round((255 * k) / steps);
      const out = centreByMass(Uint8Array.from([255 - weight, weight]), 2, 1);
      let [mass, cx] = [0, 0];
      out.forEach((v, i) => ((mass += v), (cx += v * ((i % 28) + 0.5))));
      sum += cx / mass;
    }
    expect(sum / steps).toBeCloseTo(14.5, 1);
  });

  it('moves whole pixels', () => {
    // one pixel: its centre (0.5, 0.5) moves by 14 to (14.5, 14.5)
    const out = centreByMass(Uint8Array.from([255]), 1, 1);
    expect(out[14 * 28 + 14]).toBe(1);
    // mass 1 at x=0 and 3 at x=2 of a 3x1 image: centre x = 0.25*0.5 + 0.75*2.5 = 2, so x moves by
    // round(12.5) = 13; y = 0.5 moves by 14
    const two = centreByMass(Uint8Array.from([51, 0, 153]), 3, 1);
    expect(two[14 * 28 + 13]).toBeCloseTo(0.2, 6);
    expect(two[14 * 28 + 15]).toBeCloseTo(0.6, 6);
  });
});
