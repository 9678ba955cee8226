import { HttpError } from './http-reply.js';

/**
 * Uploads the app decodes: raster formats only. SVG (an XML renderer that an upload can keep busy
 * for minutes), PDF and other vector or container formats are refused before sharp sees them.
 */
const RASTER_SIGNATURES: { format: string; matches: (b: Uint8Array) => boolean }[] = [
  { format: 'PNG', matches: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { format: 'JPEG', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { format: 'GIF', matches: (b) => ascii(b, 0, 4) === 'GIF8' },
  { format: 'WebP', matches: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
];

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** Uploads are digits: a few thousand pixels a side is plenty, and a larger header is refused before decoding. */
export const MAX_UPLOAD_PIXELS = 4096 * 4096;

/** The upload's raster format, or a 415 naming what it looks like. */
export function uploadFormat(bytes: Uint8Array): string {
  const known = RASTER_SIGNATURES.find((s) => s.matches(bytes));
  if (known) return known.format;
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  const what = head.startsWith('<') && head.includes('<svg') ? 'SVG' : head.startsWith('%pdf') ? 'PDF' : head.startsWith('<') ? 'XML or HTML' : 'something else';
  throw new HttpError(415, `upload: expected a PNG, JPEG, GIF or WebP image, got ${what}`);
}

/**
 * At most `size` uploads decode and predict at once; past that the app answers 503 with
 * Retry-After at once rather than queue: decoding runs on libuv's small thread pool, which the
 * pages' file reads need too, so a flood of uploads must not take it all.
 */
export class DecodeSlots {
  private busy = 0;

  constructor(readonly size = 2) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) throw new HttpError(503, `upload: the server is decoding ${this.busy} images already; try again in a second`, { 'retry-after': '1' });
    this.busy++;
    try {
      return await work();
    } finally {
      this.busy--;
    }
  }

  get inUse(): number {
    return this.busy;
  }
}
