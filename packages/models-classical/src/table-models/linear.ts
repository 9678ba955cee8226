/**
 * Linear models in closed form, no library: ridge regression (the L2-penalised normal equations,
 * solved by Cholesky) and L2-penalised logistic regression fitted by Newton's method (IRLS): one
 * model for two classes, one-vs-rest for more (each class's probability normalised over the classes).
 * The intercept is never penalised; features are expected standardised, as a prepared table's are.
 */
import { linearScores, normalEquations, solveSymmetric } from './linear-algebra.js';
import type { TableFitData, TablePrediction } from './table-model.js';

export interface LinearOptions {
  /** The L2 penalty on the weights (default 1). */
  l2: number;
  /** Newton steps at most for a classification (default 25; it usually converges in under 10). */
  iterations: number;
}

export interface LinearTrained {
  /** Per output (1 for a regression or two classes, else one per class): cols weights, then the intercept. */
  weights: number[];
  outputs: number;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** One binary logistic regression (targets 0/1) by IRLS: weights (cols, then the intercept). */
function fitLogistic(data: TableFitData, positive: (r: number) => boolean, o: LinearOptions): Float64Array {
  const { x, rows, cols } = data;
  let weights: Float64Array = new Float64Array(cols + 1);
  const w = new Float64Array(rows);
  const z = new Float64Array(rows);
  for (let step = 0; step < o.iterations; step++) {
    const scores = linearScores(x, rows, cols, weights);
    for (let r = 0; r < rows; r++) {
      const p = sigmoid(scores[r]);
      w[r] = Math.max(p * (1 - p), 1e-10);
      // the working response: the Newton step solves a weighted ridge regression on it
      z[r] = scores[r] + ((positive(r) ? 1 : 0) - p) / w[r];
    }
    const { a, b } = normalEquations(x, rows, cols, z, o.l2, w);
    const next = solveSymmetric(a, b, cols + 1);
    let change = 0;
    for (let j = 0; j <= cols; j++) change = Math.max(change, Math.abs(next[j] - weights[j]));
    weights = next;
    if (change < 1e-6) break;
  }
  return weights;
}

export function fitLinear(data: TableFitData, o: LinearOptions): LinearTrained {
  const { x, rows, cols, y, task, classes } = data;
  if (task === 'regression') {
    const { a, b } = normalEquations(x, rows, cols, Float64Array.from(y), o.l2);
    return { weights: Array.from(solveSymmetric(a, b, cols + 1)), outputs: 1 };
  }
  const outputs = classes === 2 ? 1 : classes;
  const weights: number[] = [];
  for (let k = 0; k < outputs; k++) {
    const positive = outputs === 1 ? (r: number) => y[r] === 1 : (r: number) => y[r] === k;
    weights.push(...fitLogistic(data, positive, o));
  }
  return { weights, outputs };
}

export function predictLinear(
  trained: LinearTrained,
  x: Float64Array,
  rows: number,
  cols: number,
  classes: number,
): TablePrediction {
  if (classes === 0) return { predicted: linearScores(x, rows, cols, trained.weights) };
  const probabilities = new Float64Array(rows * classes);
  if (trained.outputs === 1) {
    const scores = linearScores(x, rows, cols, trained.weights);
    scores.forEach((s, r) => {
      probabilities[r * 2 + 1] = sigmoid(s);
      probabilities[r * 2] = 1 - sigmoid(s);
    });
  } else {
    for (let k = 0; k < classes; k++) {
      const scores = linearScores(x, rows, cols, trained.weights, k * (cols + 1));
      scores.forEach((s, r) => (probabilities[r * classes + k] = sigmoid(s)));
    }
    normaliseRows(probabilities, rows, classes);
  }
  return { predicted: argMaxRows(probabilities, rows, classes), probabilities };
}

/** Scales each row of rows x classes to sum to 1. */
export function normaliseRows(p: Float64Array, rows: number, classes: number) {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += p[r * classes + k];
    for (let k = 0; k < classes; k++) p[r * classes + k] = sum > 0 ? p[r * classes + k] / sum : 1 / classes;
  }
}

/** The most probable class of each row of rows x classes (the first on a tie). */
export function argMaxRows(p: Float64Array, rows: number, classes: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (p[r * classes + k] > p[r * classes + best]) best = k;
    out[r] = best;
  }
  return out;
}
