import { RASTER_FORMATS, rasterFormat } from '@stagegraph/preprocess';
import { HttpError } from './http-reply.js';

/** Uploads are digits: a few thousand pixels a side is plenty, and a larger header is refused before decoding. */
export const MAX_UPLOAD_PIXELS = 4096 * 4096;

/** The upload's raster format (the same check `stagegraph predict` makes), or a 415 naming what it looks like, before sharp sees it. */
export function uploadFormat(bytes: Uint8Array): string {
  const sniffed = rasterFormat(bytes);
  if ('looksLike' in sniffed) throw new HttpError(415, `upload: expected ${RASTER_FORMATS}, got ${sniffed.looksLike}`);
  return sniffed.format;
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
    if (this.busy >= this.size)
      throw new HttpError(503, `upload: the server is decoding ${this.busy} images already; try again in a second`, {
        'retry-after': '1',
      });
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
