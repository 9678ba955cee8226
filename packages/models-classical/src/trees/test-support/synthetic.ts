/** Seeded synthetic tables with known answers, for the tree specs. */
import { SeededRandom } from '@stagegraph/pipeline';

export interface Synthetic {
  x: Float64Array;
  rows: number;
  cols: number;
  y: Float64Array;
}

/** rows x cols uniform [0, 1) features, y from a rule over the first columns (the rest are noise). */
export function table(rows: number, cols: number, seed: number, rule: (row: Float64Array) => number): Synthetic {
  const random = new SeededRandom(seed);
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < x.length; i++) x[i] = random.next();
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) y[r] = rule(x.subarray(r * cols, (r + 1) * cols));
  return { x, rows, cols, y };
}

/** An XOR of two thresholds: no single split separates it, two levels do. */
export const xorRule = (row: Float64Array) => Number(row[0] > 0.5 !== row[1] > 0.3);

/** A smooth function of two features. */
export const smoothRule = (row: Float64Array) => Math.sin(2 * Math.PI * row[0]) + 2 * row[1] * row[1];

/** Three classes by which third of [0, 1) feature 0 falls in, flipped by feature 1 above 0.8. */
export const threeClassRule = (row: Float64Array) => (Math.floor(row[0] * 3) + (row[1] > 0.8 ? 1 : 0)) % 3;

export function accuracy(probabilities: Float64Array, labels: ArrayLike<number>, classes: number): number {
  let right = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probabilities[r * classes + k] > probabilities[r * classes + best]) best = k;
    if (best === labels[r]) right++;
  }
  return right / labels.length;
}

export function rSquared(predicted: Float64Array, actual: Float64Array): number {
  const mean = actual.reduce((a, b) => a + b, 0) / actual.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    residual += (predicted[i] - actual[i]) ** 2;
    total += (actual[i] - mean) ** 2;
  }
  return 1 - residual / total;
}
