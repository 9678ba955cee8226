import { decode } from 'bmp-ts';

/** A BMP file's size and colour, read from its header alone (sharp has no BMP loader). */
export interface BmpHeader {
  width: number;
  height: number;
  colour: boolean;
}

/** BMP pixels as sharp's raw input: RGB, or RGBA when the file has real transparency. */
export interface BmpPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

const CORE_HEADER = 12; // OS/2 1.x: 16-bit sizes, 3-byte palette entries

/**
 * Width, height and colour from the BITMAPINFOHEADER (or its OS/2 and V4/V5 variants), without
 * touching the pixels. Undefined when the header is cut short. A palette image of greys only is not colour.
 */
export function readBmpHeader(bytes: Uint8Array): BmpHeader | undefined {
  if (bytes.length < 26) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.getUint32(14, true);
  if (headerSize === CORE_HEADER) {
    return { width: view.getUint16(18, true), height: view.getUint16(20, true), colour: true };
  }
  if (bytes.length < 34) return undefined;
  const width = view.getInt32(18, true);
  const height = Math.abs(view.getInt32(22, true)); // negative: rows stored top-down
  const bitsPerPixel = view.getUint16(28, true);
  return { width, height, colour: bitsPerPixel > 8 || !greyPalette(view, headerSize, bitsPerPixel) };
}

function greyPalette(view: DataView, headerSize: number, bitsPerPixel: number): boolean {
  const used = view.byteLength >= 50 ? view.getUint32(46, true) : 0;
  const count = used || 1 << bitsPerPixel;
  const start = 14 + headerSize;
  if (start + 4 * count > view.byteLength) return false;
  for (let i = 0; i < count; i++) {
    const at = start + 4 * i; // blue, green, red, reserved
    const blue = view.getUint8(at);
    if (view.getUint8(at + 1) !== blue || view.getUint8(at + 2) !== blue) return false;
  }
  return true;
}

/**
 * Decodes a BMP (1/4/8-bit palette, RLE, 16/24/32-bit, bottom-up or top-down) with bmp-ts. Call
 * readBmpHeader and check the pixel count first: bmp-ts allocates width x height x 4 bytes at once.
 * Alpha is kept only when it says something: 24-bit and palette files carry none, and many 32-bit
 * files leave it all 0 (unused), which would otherwise read as a fully transparent image.
 */
export function decodeBmp(bytes: Uint8Array): BmpPixels {
  // bmp-ts lays pixels out as A, B, G, R; its toRGBA option is wrong for palette images
  const bmp = decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { toRGBA: false });
  const { width, height, data: abgr } = bmp;
  const pixels = width * height;
  let transparent = false;
  let allZero = true;
  if ((bmp.bitPP ?? 0) >= 16)
    for (let i = 0; i < pixels; i++) {
      const alpha = abgr[4 * i];
      if (alpha < 255) transparent = true;
      if (alpha !== 0) allZero = false;
    }
  const channels = transparent && !allZero ? 4 : 3;
  const data = Buffer.alloc(pixels * channels);
  for (let i = 0; i < pixels; i++) {
    data[i * channels] = abgr[4 * i + 3];
    data[i * channels + 1] = abgr[4 * i + 2];
    data[i * channels + 2] = abgr[4 * i + 1];
    if (channels === 4) data[i * channels + 3] = abgr[4 * i];
  }
  return { data, width, height, channels };
}

/**
 * A 24-bit uncompressed BMP of RGB pixels (row-major, top row first), stored bottom-up as most
 * files are, or top-down (a negative height) with `topDown`: sample folders and tests write these.
 */
export function encodeBmp24(rgb: Uint8Array, width: number, height: number, { topDown = false } = {}): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4; // rows are padded to 4 bytes
  const out = Buffer.alloc(54 + stride * height);
  out.write('BM', 0, 'ascii');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10); // where the pixels start
  out.writeUInt32LE(40, 14); // BITMAPINFOHEADER
  out.writeInt32LE(width, 18);
  out.writeInt32LE(topDown ? -height : height, 22);
  out.writeUInt16LE(1, 26); // planes
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(stride * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      out[row + 3 * x] = rgb[from + 2]; // stored as blue, green, red
      out[row + 3 * x + 1] = rgb[from + 1];
      out[row + 3 * x + 2] = rgb[from];
    }
  }
  return out;
}
