import type { SeededRandom } from '@stagegraph/pipeline';
import type { AugmentOptions } from './augment-options.js';

/**
 * One random affine transform per image, in the layout tf.image.transform takes: a row
 * [a0, a1, a2, b0, b1, b2, c0, c1] maps each OUTPUT pixel (x, y) to the input point it samples,
 * (a0 x + a1 y + a2, b0 x + b1 y + b2). The forward map is flip, then rotate, then zoom about the
 * image centre, then translate; the row is its inverse.
 */
export function affineTransforms(
  count: number,
  height: number,
  width: number,
  options: AugmentOptions,
  random: SeededRandom,
): Float32Array {
  const rows = new Float32Array(count * 8);
  const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
  const symmetric = (range: number) => (random.next() * 2 - 1) * range;
  for (let i = 0; i < count; i++) {
    // draw every part, even those turned off, so one part's setting never shifts another's draws
    const angle = (symmetric(options.rotate ?? 0) * Math.PI) / 180;
    const scale = 1 + symmetric(options.zoom ?? 0);
    const tx = symmetric(options.translate ?? 0) * width;
    const ty = symmetric(options.translate ?? 0) * height;
    const mirror = random.next() < 0.5 && options.flip ? -1 : 1;
    // inverse of (zoom * rotate(angle) * flip): flip * rotate(-angle) / zoom
    const [cos, sin] = [Math.cos(angle) / scale, Math.sin(angle) / scale];
    const [a0, a1, b0, b1] = [mirror * cos, mirror * sin, -sin, cos];
    // the output point centre + shift maps to the input centre
    const [ox, oy] = [cx + tx, cy + ty];
    rows.set([a0, a1, cx - a0 * ox - a1 * oy, b0, b1, cy - b0 * ox - b1 * oy, 0, 0], i * 8);
  }
  return rows;
}

/** Per-image contrast factors in [1 - contrast, 1 + contrast]. */
export function contrastFactors(count: number, contrast: number, random: SeededRandom): Float32Array {
  return Float32Array.from({ length: count }, () => 1 + (random.next() * 2 - 1) * contrast);
}
