import { gunzipSync } from 'node:zlib';
import { DataError } from '@stagegraph/pipeline';

export interface IdxArray {
  /** e.g. [60000, 28, 28] for images, [60000] for labels. */
  dims: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/**
 * Parses an IDX file (the MNIST format), gzipped or not: magic number (two zero bytes, the type
 * 0x08 for unsigned bytes, the number of dimensions), big-endian dimension sizes, then the data.
 * `expectedRank` is 3 for images and 1 for labels.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedRank: number): IdxArray {
  let buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0x1f && buffer[1] === 0x8b) {
    try {
      buffer = gunzipSync(buffer);
    } catch (error) {
      throw new DataError(`${file}: expected a complete gzip stream, got a damaged one (${(error as Error).message})`);
    }
  }
  if (buffer.length < 4) throw new DataError(`${file}: expected an IDX header, got ${buffer.length} bytes`);
  const magic = buffer.readUInt32BE(0);
  const expectedMagic = (UNSIGNED_BYTE << 8) | expectedRank;
  if (magic !== expectedMagic) {
    throw new DataError(
      `${file}: expected IDX magic number 0x${expectedMagic.toString(16).padStart(8, '0')} (${expectedRank === 1 ? 'labels' : 'images'}), got 0x${magic.toString(16).padStart(8, '0')}`,
    );
  }
  const headerLength = 4 + 4 * expectedRank;
  if (buffer.length < headerLength)
    throw new DataError(`${file}: expected a ${headerLength}-byte header, got ${buffer.length} bytes`);
  const dims = Array.from({ length: expectedRank }, (_, i) => buffer.readUInt32BE(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  const available = buffer.length - headerLength;
  if (available < size)
    throw new DataError(
      `${file}: truncated: the header promises ${size} bytes of data (${dims.join('x')}), got ${available}`,
    );
  if (available > size)
    throw new DataError(
      `${file}: expected ${size} bytes of data after the header (${dims.join('x')}), got ${available}: the file is longer than its header says`,
    );
  if (dims[0] === 0)
    throw new DataError(`${file}: expected at least one ${expectedRank === 1 ? 'label' : 'image'}, got a count of 0`);
  return { dims, data: new Uint8Array(buffer.buffer, buffer.byteOffset + headerLength, size) };
}

/** Writes an IDX file (for tests and for data made by users). */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE((UNSIGNED_BYTE << 8) | dims.length, 0);
  dims.forEach((dim, i) => header.writeUInt32BE(dim, 4 + 4 * i));
  return Buffer.concat([header, data]);
}
