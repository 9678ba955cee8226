import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/** A PNG of a few dozen bytes whose header declares `width` x `height` grey pixels: decoding it would need gigabytes. */
export function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real, valid image that compresses to a few KB and decodes to `side` x `side` pixels: white paper with a dark square. */
export async function largeDigitPng(side: number): Promise<Buffer> {
  const square = Math.round(side / 3);
  const ink = await sharp({ create: { width: square, height: square, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: side, height: side, channels: 3, background: '#fff' } })
    .composite([{ input: ink, top: square, left: square }])
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** An SVG whose nested uses multiply into billions of shapes (the "billion laughs" of vector images). */
export function svgBomb(): Buffer {
  const levels = Array.from(
    { length: 9 },
    (_, i) => `<g id="l${i + 1}">${Array.from({ length: 10 }, () => `<use href="#l${i}"/>`).join('')}</g>`,
  );
  return Buffer.from(
    `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="20000" height="20000"><defs><rect id="l0" width="20000" height="20000"/>${levels.join('')}</defs><use href="#l9"/></svg>`,
  );
}
