import { SeededRandom } from '@stagegraph/pipeline';

/** A seeded sample of `size` of `rows` row indices, in ascending order (every row when size >= rows). */
export function sampleRows(rows: number, size: number, seed: number): Int32Array {
  if (size >= rows) return Int32Array.from({ length: rows }, (_, r) => r);
  return new SeededRandom(seed).permutation(rows).slice(0, size).sort();
}

/** The rows `which` of x (row-major, cols wide) and of y. */
export function gatherRows<Y extends Int32Array | Float64Array>(
  x: Float64Array,
  y: Y,
  cols: number,
  which: Int32Array,
): { x: Float64Array; y: Y } {
  const out = new Float64Array(which.length * cols);
  const targets = new (y.constructor as new (n: number) => Y)(which.length);
  which.forEach((r, i) => {
    out.set(x.subarray(r * cols, (r + 1) * cols), i * cols);
    targets[i] = y[r];
  });
  return { x: out, y: targets };
}
