import { describe, expect, it } from '@jest/globals';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { encodeBmp24 } from './bmp-image.js';
import { decodeImageInput, readImageHeader } from './image-input.js';

const RED_BLUE_GREEN_WHITE = Uint8Array.from([255, 0, 0, 0, 0, 255, 0, 255, 0, 255, 255, 255]); // 2 x 2, top row first

const png = (pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4) =>
  sharp(pixels, { raw: { width, height, channels } }).png().toBuffer();

const rounded = (values: Float32Array) => Array.from(values, (v) => Math.round(v * 255));

/** A PNG signature and an IHDR chunk declaring width x height 8-bit RGB, written by hand: no pixel data at all. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, no filter, no interlace
  const typed = Buffer.concat([Buffer.from('IHDR', 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(13);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), length, typed, crc]);
}

/** An 8-bit palette BMP (bottom-up) of palette indices, each palette entry [r, g, b]. */
function bmp8(indices: number[], width: number, height: number, palette: number[][]): Buffer {
  const stride = Math.ceil(width / 4) * 4;
  const start = 54 + 4 * palette.length;
  const out = Buffer.alloc(start + stride * height);
  out.write('BM', 0, 'ascii');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(start, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(8, 28);
  out.writeUInt32LE(palette.length, 46);
  palette.forEach(([r, g, b], i) => out.set([b, g, r, 0], 54 + 4 * i));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) out[start + (height - 1 - y) * stride + x] = indices[y * width + x];
  return out;
}

/** A 32-bit BI_RGB BMP (bottom-up) with every alpha byte 0, as many tools write them (the byte is unused). */
function bmp32ZeroAlpha(rgb: Uint8Array, width: number, height: number): Buffer {
  const out = Buffer.alloc(54 + 4 * width * height);
  out.write('BM', 0, 'ascii');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(32, 28);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [from, to] = [(y * width + x) * 3, 54 + ((height - 1 - y) * width + x) * 4];
      out.set([rgb[from + 2], rgb[from + 1], rgb[from], 0], to);
    }
  return out;
}

describe('decodeImageInput', () => {
  it('reads RGB pixels in [0, 1], row-major [height, width, 3]', async () => {
    const pixels = await decodeImageInput(await png(RED_BLUE_GREEN_WHITE, 2, 2, 3), 'c.png', {
      height: 2,
      width: 2,
      channels: 3,
    });
    expect(pixels).toHaveLength(12);
    expect(rounded(pixels)).toEqual(Array.from(RED_BLUE_GREEN_WHITE));
  });

  it('reads grey as one channel, exactly, and colour as grey when asked for one channel', async () => {
    const grey = Uint8Array.from([0, 64, 128, 255]);
    const shape = { height: 2, width: 2, channels: 1 } as const;
    expect(rounded(await decodeImageInput(await png(grey, 2, 2, 1), 'g.png', shape))).toEqual([0, 64, 128, 255]);
    const fromColour = rounded(await decodeImageInput(await png(RED_BLUE_GREEN_WHITE, 2, 2, 3), 'c.png', shape));
    expect(fromColour[3]).toBe(255); // white stays white
    // red, blue and green are mid greys of different lightness, green the lightest
    expect(fromColour[2]).toBeGreaterThan(fromColour[0]);
    expect(fromColour[0]).toBeGreaterThan(fromColour[1]);
  });

  it('resizes (stretching) to the size asked: a left-black right-white image stays so, give or take ringing', async () => {
    const halves = Uint8Array.from({ length: 8 * 6 }, (_, i) => (i % 8 < 4 ? 0 : 255));
    const pixels = rounded(
      await decodeImageInput(await png(halves, 8, 6, 1), 'h.png', { height: 4, width: 2, channels: 1 }),
    );
    expect(pixels).toHaveLength(8);
    pixels.forEach((v, i) => (i % 2 ? expect(v).toBeGreaterThan(225) : expect(v).toBeLessThan(30)));
  });

  it('flattens transparency onto white', async () => {
    const rgba = Uint8Array.from([255, 0, 0, 0, 0, 0, 255, 255]); // a see-through red, an opaque blue
    const pixels = await decodeImageInput(await png(rgba, 2, 1, 4), 't.png', { height: 1, width: 2, channels: 3 });
    expect(rounded(pixels)).toEqual([255, 255, 255, 0, 0, 255]);
  });

  it('reads 24-bit BMP (bottom-up and top-down, padded rows) as the same pixels as a PNG', async () => {
    const rgb = Uint8Array.from({ length: 3 * 3 * 3 }, (_, i) => (i * 29) % 256); // 3 x 3: 9-byte rows, padded to 12
    const shape = { height: 3, width: 3, channels: 3 } as const;
    const expected = rounded(await decodeImageInput(await png(rgb, 3, 3, 3), 'p.png', shape));
    expect(expected).toEqual(Array.from(rgb));
    expect(rounded(await decodeImageInput(encodeBmp24(rgb, 3, 3), 'b.bmp', shape))).toEqual(expected);
    expect(rounded(await decodeImageInput(encodeBmp24(rgb, 3, 3, { topDown: true }), 'b.bmp', shape))).toEqual(
      expected,
    );
  });

  it('reads an 8-bit palette BMP through its palette, and a 32-bit BMP whose alpha bytes are all 0 as opaque', async () => {
    const palette = [
      [255, 0, 0],
      [0, 0, 255],
      [0, 255, 0],
      [255, 255, 255],
    ];
    const shape = { height: 2, width: 2, channels: 3 } as const;
    const paletted = await decodeImageInput(bmp8([0, 1, 2, 3], 2, 2, palette), 'p8.bmp', shape);
    expect(rounded(paletted)).toEqual(Array.from(RED_BLUE_GREEN_WHITE));
    const unusedAlpha = await decodeImageInput(bmp32ZeroAlpha(RED_BLUE_GREEN_WHITE, 2, 2), 'a.bmp', shape);
    expect(rounded(unusedAlpha)).toEqual(Array.from(RED_BLUE_GREEN_WHITE));
  });
});

describe('readImageHeader', () => {
  it('says the size and colour of PNG, JPEG and BMP files from their headers', async () => {
    const rgb = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => i * 3);
    expect(await readImageHeader(await png(rgb, 5, 3, 3), 'a.png')).toEqual({ width: 5, height: 3, colour: true });
    const jpeg = await sharp(Buffer.alloc(7 * 4, 9), { raw: { width: 7, height: 4, channels: 1 } })
      .toColourspace('b-w')
      .jpeg()
      .toBuffer();
    expect(await readImageHeader(jpeg, 'g.jpg')).toEqual({ width: 7, height: 4, colour: false });
    expect(await readImageHeader(encodeBmp24(rgb, 5, 3, { topDown: true }), 'a.bmp')).toEqual({
      width: 5,
      height: 3,
      colour: true,
    });
    const greys = bmp8([0, 1, 1, 0], 2, 2, [
      [0, 0, 0],
      [200, 200, 200],
    ]);
    expect(await readImageHeader(greys, 'g.bmp')).toEqual({ width: 2, height: 2, colour: false });
  });

  it('refuses a PNG declaring 30000 x 30000 pixels from its header: the file holds no pixels to decode', async () => {
    const bomb = pngHeaderOnly(30000, 30000);
    expect(bomb.length).toBe(33);
    const message =
      'huge.png: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image of at most 50000000 pixels, got 30000 x 30000';
    await expect(readImageHeader(bomb, 'huge.png')).rejects.toThrow(message);
    await expect(decodeImageInput(bomb, 'huge.png', { height: 8, width: 8, channels: 3 })).rejects.toThrow(message);
    // under the limit, the same header-only file is refused by the decoder: so the first refusal came from the header
    await expect(
      decodeImageInput(pngHeaderOnly(30, 30), 'small.png', { height: 8, width: 8, channels: 3 }),
    ).rejects.toThrow(
      /^small\.png: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something sharp cannot read/,
    );
  });

  it('refuses a BMP declaring 30000 x 30000 pixels before bmp-ts allocates them', async () => {
    const bomb = encodeBmp24(new Uint8Array(3), 1, 1);
    bomb.writeInt32LE(30000, 18);
    bomb.writeInt32LE(30000, 22);
    await expect(decodeImageInput(bomb, 'huge.bmp', { height: 8, width: 8, channels: 3 })).rejects.toThrow(
      'huge.bmp: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image of at most 50000000 pixels, got 30000 x 30000',
    );
  });

  it('refuses garbage behind a PNG signature and a cut BMP in one line, naming the file', async () => {
    const garbage = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(200, 7),
    ]);
    await expect(decodeImageInput(garbage, 'cats/bad.png', { height: 8, width: 8, channels: 3 })).rejects.toThrow(
      /^cats\/bad\.png: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something sharp cannot read \([^\n]+\)$/,
    );
    const cut = encodeBmp24(new Uint8Array(4 * 4 * 3), 4, 4).subarray(0, 70);
    await expect(decodeImageInput(cut, 'cut.bmp', { height: 4, width: 4, channels: 3 })).rejects.toThrow(
      /^cut\.bmp: expected a PNG, JPEG, GIF, WebP, TIFF or BMP image, got something bmp-ts cannot read/,
    );
  });
});
