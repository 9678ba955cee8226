/** Small dense linear algebra for the linear models: normal equations solved by Cholesky. */
import { DataError } from '@stagegraph/pipeline';

/**
 * Solves a x = b for a symmetric positive definite a (n x n, row-major; only its lower triangle is
 * read), by Cholesky. a is overwritten with its factor; the solution is returned.
 */
export function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j];
    for (let k = 0; k < j; k++) diagonal -= a[j * n + k] * a[j * n + k];
    if (!(diagonal > 0)) throw new DataError(`linear model: the normal equations are singular (raise l2)`);
    const root = Math.sqrt(diagonal);
    a[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = sum / root;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) x[i] -= a[i * n + k] * x[k];
    x[i] /= a[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) x[i] -= a[k * n + i] * x[k];
    x[i] /= a[i * n + i];
  }
  return x;
}

/**
 * X'WX + l2 I and X'Wz for X = [x | 1] (the intercept last, not penalised), rows weighted by w
 * (all 1 when absent): the normal equations of a (weighted) ridge regression. Lower triangle only.
 */
export function normalEquations(
  x: Float64Array,
  rows: number,
  cols: number,
  z: Float64Array,
  l2: number,
  w?: Float64Array,
): { a: Float64Array; b: Float64Array } {
  const n = cols + 1;
  const a = new Float64Array(n * n);
  const b = new Float64Array(n);
  const row = new Float64Array(n);
  row[cols] = 1;
  for (let r = 0; r < rows; r++) {
    row.set(x.subarray(r * cols, (r + 1) * cols));
    const weight = w ? w[r] : 1;
    const wz = weight * z[r];
    for (let i = 0; i < n; i++) {
      const wi = weight * row[i];
      b[i] += row[i] * wz;
      const base = i * n;
      for (let k = 0; k <= i; k++) a[base + k] += wi * row[k];
    }
  }
  for (let i = 0; i < cols; i++) a[i * n + i] += l2;
  // a tiny ridge on the intercept too keeps a model of all-zero weights solvable
  a[cols * n + cols] += 1e-9;
  return { a, b };
}

/** x (rows x cols) times weights (cols, then the intercept): one number per row. */
export function linearScores(x: Float64Array, rows: number, cols: number, weights: ArrayLike<number>, at = 0) {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = weights[at + cols];
    const base = r * cols;
    for (let j = 0; j < cols; j++) sum += x[base + j] * weights[at + j];
    out[r] = sum;
  }
  return out;
}
