import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { encodeIdx, parseIdx } from './idx-file.js';

describe('parseIdx', () => {
  const images = encodeIdx([2, 2, 3], Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));

  it('reads dims and data, gzipped or not', () => {
    for (const bytes of [images, gzipSync(images)]) {
      const parsed = parseIdx(bytes, 'a.idx', 3);
      expect(parsed.dims).toEqual([2, 2, 3]);
      expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    }
  });

  it('rejects a wrong magic number, naming what was expected', () => {
    expect(() => parseIdx(images, 'labels.idx', 1)).toThrow(
      'labels.idx: expected IDX magic number 0x00000801 (labels), got 0x00000803',
    );
    const floats = Uint8Array.from(images);
    floats[2] = 0x0d;
    expect(() => parseIdx(floats, 'f.idx', 3)).toThrow(
      'f.idx: expected IDX magic number 0x00000803 (images), got 0x00000d03',
    );
  });

  it('rejects truncated data and headers, and damaged gzip', () => {
    expect(() => parseIdx(images.subarray(0, images.length - 1), 't.idx', 3)).toThrow(
      't.idx: truncated: the header promises 12 bytes of data (2x2x3), got 11',
    );
    expect(() => parseIdx(images.subarray(0, 6), 't.idx', 3)).toThrow('t.idx: expected a 16-byte header, got 6 bytes');
    expect(() => parseIdx(gzipSync(images).subarray(0, 20), 'z.gz', 3)).toThrow(
      /z\.gz: expected a complete gzip stream/,
    );
  });
});
